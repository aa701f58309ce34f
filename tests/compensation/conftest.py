from tests.replies.conftest import clock, make_case

__all__ = ["clock", "make_case"]
