"""Who may see and do what: the access policy and the peer's sharing choices."""
