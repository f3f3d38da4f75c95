"""Notice boards as PDF: one HTML document, one WeasyPrint render, one A3 page per community."""

import base64
import mimetypes
from collections.abc import Iterable
from dataclasses import dataclass

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from mains.areas.models import Community, Specialist
from mains.boards import wording


def public_url(community: Community) -> str:
    """The address of the community's public page, the one its QR code carries."""
    return settings.PUBLIC_BASE_URL + reverse("public:community", args=[community.pk])


def qr_for(url: str) -> segno.QRCode:
    return segno.make(url, error="m", micro=False)


def qr_svg(url: str) -> str:
    """The QR code as an inline SVG that scales to its box (no fixed size)."""
    svg = qr_for(url).svg_inline(scale=1, border=2, dark="#0b2545", omitsize=True)
    return svg


@dataclass
class BoardFace:
    """What one page of the board shows."""

    community: Community
    specialist: Specialist | None
    photo_uri: str
    url: str
    qr_svg: str
    duties: list[str]
    services: list[str]


def _lines(text: str, default: tuple[str, ...]) -> list[str]:
    parts = [p.strip(" 。.") for p in text.replace("\n", "；").split("；")] if text else []
    return [p for p in parts if p] or list(default)


def _photo_uri(specialist: Specialist | None, cache: dict[int, str]) -> str:
    if specialist is None or not specialist.photo:
        return ""
    if specialist.pk not in cache:
        try:
            with specialist.photo.open("rb") as handle:
                data = handle.read()
        except OSError:
            data = b""
        kind = mimetypes.guess_type(specialist.photo.name or "")[0] or "image/jpeg"
        encoded = base64.b64encode(data).decode("ascii")
        cache[specialist.pk] = f"data:{kind};base64,{encoded}" if data else ""
    return cache[specialist.pk]


def faces_for(communities: Iterable[Community]) -> list[BoardFace]:
    photos: dict[int, str] = {}
    faces = []
    for community in communities:
        grid = community.grid
        specialist = grid.specialist if grid else None
        url = public_url(community)
        faces.append(
            BoardFace(
                community=community,
                specialist=specialist,
                photo_uri=_photo_uri(specialist, photos),
                url=url,
                qr_svg=qr_svg(url),
                duties=_lines(specialist.duties if specialist else "", wording.DUTIES),
                services=_lines(
                    specialist.service_content if specialist else "",
                    wording.SERVICES_HEAT
                    if community.utility == "heat"
                    else wording.SERVICES_WATER,
                ),
            )
        )
    return faces


def board_html(communities: Iterable[Community]) -> str:
    context = {
        "faces": faces_for(communities),
        "org_name": settings.BOARD_ORG_NAME,
        "hotline": settings.HOTLINE_NUMBER,
        "words": wording,
        "today": timezone.localdate(),
        "font_dir": "/usr/share/fonts/opentype/noto/",
    }
    return render_to_string("boards/board.html", context)


def board_pdf(communities: Iterable[Community]) -> bytes:
    """Render the boards of these communities into one PDF (one page each)."""
    from weasyprint import HTML

    html = board_html(communities)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def communities_for_print(queryset) -> list[Community]:
    return list(queryset.select_related("grid__specialist").order_by("grid__code", "name"))
