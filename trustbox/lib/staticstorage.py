"""Static files with hashed, compressed names once collected; plain names before that.

`serve` collects the static files first: the pages then link `public.<hash>.css`, which
WhiteNoise sends compressed and cacheable for a year (a new file gets a new name). Where
nothing was collected (the test suite, `runserver` for the demo) the plain names are used and
WhiteNoise finds the files where they live, as before.
"""

from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage


class HashedOnceCollectedStorage(CompressedManifestStaticFilesStorage):
    def stored_name(self, name: str) -> str:
        if not self.hashed_files:  # no manifest: nothing was collected here
            return name
        try:
            return super().stored_name(name)
        except ValueError:  # a file added since the last collection: its plain name
            return name
