"""Uploads stay in memory: an appeal's attachment must never touch a temporary file."""

from __future__ import annotations

import io
from typing import Any

from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.dispatch import Signal

from trustbox.box.attachments import MAX_FILE_BYTES, MAX_FILES

# Sent with request as each uploaded file starts, before a byte of it is kept. A receiver that
# returns False (the writer's pages, over a client's hourly limit of files) has it skipped.
file_starting = Signal()


class MemoryOnlyUploadHandler(FileUploadHandler):
    """Keep each uploaded file in memory up to the size limit; skip (not store) anything more.

    Each file is offered to ``file_starting`` before a byte of it is kept, so an abuse limit
    applies before anything is decoded, even in forms that are otherwise wrong. Skipped files
    are listed on ``request.skipped_uploads`` so that the form can say so while keeping
    everything else the person typed.
    """

    def __init__(self, request: Any = None) -> None:
        super().__init__(request)
        self.files_seen = 0
        if request is not None:
            request.skipped_uploads = []

    def new_file(self, field_name: str, file_name: str, *args: Any, **kwargs: Any) -> None:
        super().new_file(field_name, file_name, *args, **kwargs)
        self.files_seen += 1
        self.buffer = io.BytesIO()
        self.size = 0
        if self.files_seen > MAX_FILES:
            self._skip("count")
        answers = file_starting.send(sender=type(self), request=self.request)
        if any(allowed is False for _receiver, allowed in answers):
            self._skip("limit")

    def _skip(self, reason: str) -> None:
        if self.request is not None:
            self.request.skipped_uploads.append(reason)  # type: ignore[attr-defined]
        raise SkipFile

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self.size += len(raw_data)
        if self.size > MAX_FILE_BYTES:
            self.buffer = io.BytesIO()
            self._skip("size")
        self.buffer.write(raw_data)
        return None

    def file_complete(self, file_size: int) -> InMemoryUploadedFile:
        self.buffer.seek(0)
        return InMemoryUploadedFile(
            file=self.buffer,
            field_name=self.field_name,
            name=self.file_name,
            content_type=self.content_type,
            size=file_size,
            charset=self.charset,
            content_type_extra=self.content_type_extra,
        )
