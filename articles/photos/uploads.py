"""An upload handler that refuses big files while they stream in, before anything is kept."""

import io

from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler

from .validation import max_upload_bytes


class OversizedUpload(UploadedFile):
    """Stands in for a file that was too big: its size is known, its content was never kept."""

    def __init__(self, name, content_type, size):
        super().__init__(io.BytesIO(), name=name, content_type=content_type, size=size)


class SizeLimitUploadHandler(FileUploadHandler):
    """Count each file's bytes; past the limit, drop the rest so no handler buffers or spools it.

    Put first in ``request.upload_handlers``; the form then sees an ``OversizedUpload`` whose size
    the validation refuses. Django has no per-file limit of its own (DATA_UPLOAD_MAX_MEMORY_SIZE
    leaves files out), hence this small handler.
    """

    def new_file(self, *args, **kwargs):
        """Start counting a new file."""
        super().new_file(*args, **kwargs)
        self.received = 0
        self.too_big = False

    def receive_data_chunk(self, raw_data, start):
        """Pass chunks on until the limit; after it, swallow them."""
        self.received += len(raw_data)
        if self.too_big or self.received > max_upload_bytes():
            self.too_big = True
            return None
        return raw_data

    def file_complete(self, file_size):
        """Replace an oversized file by its stand-in; otherwise let the next handler finish it."""
        if self.too_big:
            return OversizedUpload(self.file_name, self.content_type, self.received)
        return None
