"""Owner-only files and folders (0600/0700), created without following symbolic links."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

FILE_MODE, FOLDER_MODE = 0o600, 0o700
_NEW = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)


def private_folder(path: Path) -> Path:
    """Create ``path`` and its missing parents as 0700 folders; an existing folder is used as it is."""
    missing = [p for p in (path, *path.parents) if not p.exists() and not p.is_symlink()]
    for folder in reversed(missing):
        try:
            os.mkdir(folder, FOLDER_MODE)
        except FileExistsError:
            pass
    return path


def create_private(path: Path, data: bytes = b"") -> bool:
    """Write a new 0600 file; False when something (a file, a symlink) is already there."""
    try:
        fd = os.open(path, _NEW, FILE_MODE)
    except FileExistsError:
        return False
    with os.fdopen(fd, "wb") as file:
        file.write(data)
    return True


def create_in(folder: Path, name: str, data: bytes) -> bool:
    """Write a new 0600 file ``name`` into ``folder``, which must be a real folder owned by us.

    The folder is opened without following a symlink and the file created relative to it, so
    neither can be swapped for a link in between. False when ``name`` exists already.
    """
    dir_fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    try:
        if os.fstat(dir_fd).st_uid != os.geteuid():
            raise PermissionError(f"{folder} belongs to another user")
        try:
            fd = os.open(name, _NEW, FILE_MODE, dir_fd=dir_fd)
        except FileExistsError:
            return False
    finally:
        os.close(dir_fd)
    with os.fdopen(fd, "wb") as file:
        file.write(data)
    return True


def owner_only(path: Path) -> None:
    """Take group and other permissions from an existing file of ours (a database from an older version)."""
    try:
        mode = os.stat(path).st_mode
        if mode & 0o077:
            os.chmod(path, stat.S_IMODE(mode) & ~0o077)
    except (FileNotFoundError, PermissionError):
        pass


def remove_folder(path: Path) -> None:
    """Remove a folder and what is in it; a symlink in its place is removed, never followed."""
    if path.is_symlink():
        path.unlink()
    elif path.exists():
        shutil.rmtree(path)
