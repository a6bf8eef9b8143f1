from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "trustbox.demo"
    label = "demo"
