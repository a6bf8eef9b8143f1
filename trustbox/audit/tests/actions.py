from trustbox.audit.actions import AuditAction


class TrialAction(AuditAction):
    """Actions no app declares: the page shows them by their code."""

    STEP = "test.step", "a test step"
    AFTER = "test.after", "after the step"
    UNKNOWN = "test.unknown", "unknown"
    CRON = "test.cron", "a job"
    SECRET = "other.secret", "another school's action"
