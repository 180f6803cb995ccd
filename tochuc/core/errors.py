from django.core.exceptions import ValidationError


class ProcedureError(ValidationError):
    """A rule of a procedure refuses the step; the message is for the user, in Vietnamese."""
