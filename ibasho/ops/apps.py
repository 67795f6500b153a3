from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Operator commands: demo, serve, seed."""

    name = "ibasho.ops"
    verbose_name = "Operations"
