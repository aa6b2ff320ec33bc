import logging

from console.core.logs import configure_logging, log_unexpected_error, stack_without_values

SECRET = "password_hash='$argon2id$v=19$secret' note='my week'"


def failing_with_a_cause():
    try:
        raise ValueError(SECRET)
    except ValueError as error:
        raise RuntimeError(SECRET) from error


def caught():
    try:
        failing_with_a_cause()
    except RuntimeError as error:
        return error


def test_the_logged_stack_names_types_and_lines_but_no_values():
    stack = stack_without_values(caught())
    assert "builtins.ValueError" in stack and "builtins.RuntimeError" in stack
    assert stack.index("ValueError") < stack.index("RuntimeError")
    assert "failing_with_a_cause" in stack
    assert "argon2" not in stack and "my week" not in stack


def test_an_unexpected_error_is_one_grep_able_record(caplog):
    with caplog.at_level(logging.ERROR, logger="console"):
        log_unexpected_error(caught(), error_id="abc123", page="Home")
    [record] = caplog.records
    assert record.getMessage().startswith("unexpected_error error_id=abc123 page='Home' exception=RuntimeError")
    assert "argon2" not in record.getMessage()


def test_logging_is_configured_once():
    logger = configure_logging()
    handlers = list(logger.handlers)
    assert configure_logging().handlers == handlers
