"""Tables, engines, encryption and migrations."""
