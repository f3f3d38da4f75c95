"""The lines of the build summary about the residents' side of the demo city."""

from django.utils.translation import gettext as _

from mains.demo.build import BuildReport


def residents_side_lines(report: BuildReport) -> list[str]:
    lines = []
    if report.boards:
        b = report.boards
        lines.append(
            _(
                "Notice boards: %(installed)s of %(communities)s communities installed, "
                "%(printed)s printed, %(generated)s generated, %(outdated)s outdated "
                "(%(reprint)s communities waiting for a reprint)."
            )
            % {
                "installed": b.installed,
                "communities": b.communities,
                "printed": b.printed,
                "generated": b.generated,
                "outdated": b.outdated,
                "reprint": b.to_reprint,
            }
        )
    if report.outages:
        o = report.outages
        lines.append(
            _(
                "Outages: %(active)s active now, %(planned)s planned, %(ended)s ended; "
                "%(callers)s callers attached."
            )
            % {"active": o.active, "planned": o.planned, "ended": o.ended, "callers": o.callers}
        )
    if report.care:
        c = report.care
        lines.append(
            _("Special-group residents: %(residents)s, %(visits)s visits, %(due)s visits due.")
            % {"residents": c.residents, "visits": c.visits, "due": c.due}
        )
    if report.supervision:
        s = report.supervision
        lines.append(
            _(
                "Social supervisors: %(supervisors)s, %(observations)s observations, "
                "%(answered)s answered, %(open)s open (%(overdue)s overdue)."
            )
            % {
                "supervisors": s.supervisors,
                "observations": s.observations,
                "answered": s.answered,
                "open": s.open,
                "overdue": s.overdue,
            }
        )
    if report.telemetry:
        t = report.telemetry
        lines.append(
            _("Network watch: %(meters)s meters, %(readings)s readings, %(alarms)s alarms raised.")
            % {"meters": t.meters, "readings": t.readings, "alarms": sum(t.alarms.values())}
        )
    return lines
