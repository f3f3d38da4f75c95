"""Huey jobs of notice boards: the batch PDF takes seconds, so it runs off the request."""

import logging
import time

from django.core.files.base import ContentFile
from django.utils import timezone
from huey.contrib.djhuey import db_task

from mains.boards.actions import do_generate_boards, mark_batch
from mains.boards.models import BatchState, BoardBatch
from mains.boards.queries import communities_for_batch
from mains.boards.render import board_pdf

log = logging.getLogger(__name__)


@db_task()
def build_batch(batch_id: int) -> None:
    batch = BoardBatch.objects.filter(pk=batch_id, state=BatchState.QUEUED).first()
    if batch is None:
        return
    mark_batch(batch, BatchState.WORKING)
    started = time.perf_counter()
    try:
        communities = list(communities_for_batch(batch))
        pdf = board_pdf(communities) if communities else b""
    except Exception as error:  # a failed render must show on the page, not vanish
        log.exception("notice-board batch %s failed", batch.pk)
        mark_batch(batch, BatchState.FAILED, error=str(error)[:2000], finished_at=timezone.now())
        return
    if communities:
        batch.file.save(f"boards-{batch.pk}.pdf", ContentFile(pdf), save=False)
        do_generate_boards(communities, by=batch.requested_by, batch=batch)
    mark_batch(
        batch,
        BatchState.DONE,
        file=batch.file,
        pages=len(communities),
        seconds=round(time.perf_counter() - started, 1),
        finished_at=timezone.now(),
    )
