"""Email: the outbox, what each message says, who receives what, delivery and schedules."""
