"""Files leave the disk with their rows: when a ``DocumentFile`` row is deleted (by the
parent, an agent, the retention job, or in cascade with a household), its file is
removed once the transaction commits (a rolled-back deletion keeps the file)."""

from functools import partial

from django.db import transaction


def delete_stored_file(sender, instance, using, **kwargs):
    name = instance.file.name
    if name:
        storage = instance.file.storage
        transaction.on_commit(partial(storage.delete, name), using=using)
