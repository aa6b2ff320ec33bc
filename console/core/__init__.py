"""Settings, the clock, errors, the audit trail, sign-in, keys and logs: what every area stands on."""
