"""An archive is read on a Python without tarfile's "data" filter too (before 3.11.4, as Debian
12's python3.11, which docs/deploy.md installs): the same refusals, made by hand."""

from __future__ import annotations

import io
import tarfile
import tempfile
from pathlib import Path
from unittest import mock

import pytest
from django.test import SimpleTestCase

from trustbox.core.backup import MANIFEST, BackupError, archive_read


def archive_with(path: Path, members: dict[str, bytes], link: str | None = None) -> None:
    with tarfile.open(path, mode="w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
        if link:
            info = tarfile.TarInfo("link")
            info.type = tarfile.SYMTYPE
            info.linkname = link
            archive.addfile(info)


@pytest.mark.database_independent
class OlderPythonTestCase(SimpleTestCase):
    def setUp(self) -> None:
        folder = tempfile.TemporaryDirectory()
        self.addCleanup(folder.cleanup)
        self.folder = Path(folder.name)
        self.work = self.folder / "work"
        self.work.mkdir()
        # tarfile as Python 3.11.2 has it: no data_filter, extractall without `filter`.
        patched = mock.patch.dict(tarfile.__dict__)
        patched.start()
        self.addCleanup(patched.stop)
        del tarfile.data_filter
        original = tarfile.TarFile.extractall

        def extractall(archive, path=".", members=None, *, numeric_owner=False):
            return original(archive, path, members, numeric_owner=numeric_owner)

        without_filter = mock.patch.object(tarfile.TarFile, "extractall", extractall)
        without_filter.start()
        self.addCleanup(without_filter.stop)

    def test_a_manifest_and_its_files_are_read(self):
        manifest = b'{"format": 2, "sha256": {}}'
        archive_with(self.folder / "a.tar.gz", {MANIFEST: manifest, "data/x": b"x"})
        self.assertEqual(archive_read(self.folder / "a.tar.gz", self.work)["format"], 2)
        self.assertEqual((self.work / "data" / "x").read_bytes(), b"x")

    def test_a_member_outside_the_folder_or_a_link_is_refused_and_nothing_written(self):
        for members, link in (
            ({MANIFEST: b"{}", "../outside": b"x"}, None),
            ({MANIFEST: b"{}", "/tmp/absolute": b"x"}, None),
            ({MANIFEST: b"{}"}, "/etc/passwd"),
        ):
            archive_with(self.folder / "bad.tar.gz", members, link)
            with self.subTest(members=list(members), link=link):
                with self.assertRaises(BackupError):
                    archive_read(self.folder / "bad.tar.gz", self.work)
                self.assertEqual(list(self.work.iterdir()), [])
                self.assertFalse((self.folder / "outside").exists())
