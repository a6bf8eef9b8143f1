from django.db import models


class Row(models.Model):
    """One stored request: its body and when it came."""

    body = models.TextField()
    stored_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"row {self.pk}"
