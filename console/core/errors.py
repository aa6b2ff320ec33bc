"""Errors a service raises; each message tells a person what to do next."""


class ConsoleError(Exception):
    """Base of the console's own errors."""


class PermissionDenied(ConsoleError):
    """The acting user may not do this."""


class ValidationError(ConsoleError):
    """Input that cannot be accepted; `problems` maps a field to what to fix."""

    def __init__(self, message: str, *, problems: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or {}


class NotFound(ConsoleError):
    """The thing asked for does not exist (or is not visible to the actor)."""


class ConfigurationError(ConsoleError):
    """The console cannot start as configured; the message names the setting to fix."""


class SettingUnusable(ConsoleError):
    """A stored program setting that can no longer be used (a file removed, say); the message says
    what is wrong and that an admin fixes it on Program settings."""
