from typing import Any

from django.conf import settings
from django.http import HttpRequest

# Each language is named in itself, so a person finds their own whatever is active.
NATIVE_NAMES = {"ky": "Кыргызча", "ru": "Русский", "en": "English"}


def languages(request: HttpRequest) -> dict[str, Any]:
    return {
        "language_choices": [(code, NATIVE_NAMES.get(code, code)) for code, _ in settings.LANGUAGES]
    }
