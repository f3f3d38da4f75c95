"""Installation photos for the demo's boards: a few drawn pictures shared by every board.

A recorded installation always has a photo, and the board pages show it; the demo draws
a board on a wall (no text, so no font is needed) instead of shipping pictures.
"""

import io
import random

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageDraw

VARIANTS = 4
WALLS = [(214, 203, 186), (196, 196, 190), (222, 214, 200), (180, 170, 160)]


def _draw(rng: random.Random, wall: tuple[int, int, int]) -> bytes:
    width, height = 640, 480
    image = Image.new("RGB", (width, height), wall)
    draw = ImageDraw.Draw(image)
    for y in range(0, height, 40):  # tiles of the wall
        draw.line([(0, y), (width, y)], fill=tuple(c - 18 for c in wall), width=2)
    left, top = 190 + rng.randint(-30, 30), 60 + rng.randint(-20, 20)
    right, bottom = left + 260, top + 360
    draw.rectangle([left + 6, top + 6, right + 6, bottom + 6], fill=(90, 90, 90))
    draw.rectangle([left, top, right, bottom], fill=(250, 250, 248), outline=(40, 40, 40))
    draw.rectangle([left, top, right, top + 60], fill=(13, 71, 161))
    draw.rectangle([left + 20, top + 80, left + 100, top + 180], fill=(170, 180, 195))
    for i in range(9):
        y = top + 85 + i * 28
        x = left + 115 if i < 4 else left + 20
        draw.line([(x, y), (right - 20, y)], fill=(120, 120, 120), width=6)
    draw.rectangle([right - 80, bottom - 80, right - 20, bottom - 20], fill=(30, 30, 30))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def board_photos(rng: random.Random) -> list[str]:
    """Names of the pictures in the media storage (drawn once, kept across rebuilds)."""
    photos = []
    for i in range(VARIANTS):
        name = f"boards/installed/demo/board-{i + 1}.jpg"
        if not default_storage.exists(name):
            name = default_storage.save(name, ContentFile(_draw(rng, WALLS[i])))
        photos.append(name)
    return photos
