from django.apps import AppConfig

from trustbox.box.signals import appeal_sealing


class MetricsConfig(AppConfig):
    name = "trustbox.metrics"
    label = "metrics"

    def ready(self) -> None:
        from trustbox.metrics.receivers import appeal_sealed

        appeal_sealing.connect(appeal_sealed, dispatch_uid="trustbox.metrics.appeal_sealed")
