"""The message templates mains ships: Chinese, one per event and channel that makes sense.

Administrators edit them in the Django admin; install() only adds what is missing.
The resident's address is left out of SMS (the specialist opens the order in mains);
the variable is there for administrators who want it. Each template is Django template
syntax over the context its event is sent with (see mains.notify.events.CONTEXT), plus
hotline, site_name and recipient_name.
"""

_SLA_MAIL = (
    "{{ unit }}：\n\n"
    "工单 {{ number }}（{{ category }}，{{ community }} {{ address }}）{STATE}，"
    "当前时限 {{ due }}。\n处理人：{{ specialist|default:'尚未派单' }}\n\n"
    "查看工单：{{ order_url }}\n\n{{ site_name }}"
)

DEFAULT_TEMPLATES: list[tuple[str, str, str, str]] = [
    # (event, channel, subject, body)
    (
        "order_received",
        "sms",
        "",
        "您好，您反映的{{ category }}问题已受理，工单号{{ number }}。"
        "查询进度：{{ tracking_url }} 如有疑问请拨打{{ hotline }}。",
    ),
    (
        "order_assigned",
        "sms",
        "",
        "新工单{{ number }}：{{ community }}，{{ category }}：{{ description }}。"
        "请于{{ accept_due }}前接单：{{ order_url }}",
    ),
    (
        "sla_warning",
        "wecom",
        "",
        "【即将超时】工单{{ number }}（{{ category }}，{{ community }}）将于{{ due }}到期，"
        "处理人：{{ specialist|default:'尚未派单' }}。{{ order_url }}",
    ),
    (
        "sla_warning",
        "email",
        "【即将超时】工单{{ number }} {{ category }}",
        _SLA_MAIL.replace("{STATE}", "即将超时"),
    ),
    (
        "sla_overdue",
        "wecom",
        "",
        "【已超时】工单{{ number }}（{{ category }}，{{ community }}）已于{{ due }}超时，"
        "处理人：{{ specialist|default:'尚未派单' }}，请督促处理。{{ order_url }}",
    ),
    (
        "sla_overdue",
        "email",
        "【已超时】工单{{ number }} {{ category }}",
        _SLA_MAIL.replace("{STATE}", "已超时，请督促处理"),
    ),
    (
        "order_resolved",
        "sms",
        "",
        "您好，您的工单{{ number }}（{{ category }}）已处理完毕：{{ resolution }}。"
        "我们将回访您的满意度。查询：{{ tracking_url }}",
    ),
    (
        "outage_announced",
        "sms",
        "",
        "【停供通知】{{ communities }}：{{ starts_at }}至{{ ends_at }}暂停供应（{{ kind }}），"
        "原因：{{ reason }}。给您带来不便，敬请谅解。咨询{{ hotline }}。",
    ),
    (
        "outage_announced",
        "wecom",
        "",
        "【停供公告】{{ kind }} {{ utility }}\n范围：{{ communities }}\n"
        "时间：{{ starts_at }} 至 {{ ends_at }}\n原因：{{ reason }}",
    ),
    (
        "outage_changed",
        "sms",
        "",
        "【停供变更】{{ communities }}停供时间调整为{{ starts_at }}至{{ ends_at }}，"
        "原因：{{ reason }}。咨询{{ hotline }}。",
    ),
    (
        "outage_ended",
        "sms",
        "",
        "【恢复供应】{{ communities }}已于{{ ended_at }}恢复供应，感谢您的耐心等待。"
        "如仍有问题请拨打{{ hotline }}。",
    ),
]


def install(apps) -> int:
    """Add the default templates that are missing; edited ones are left alone."""
    Template = apps.get_model("notify", "Template")
    added = 0
    for event, channel, subject, body in DEFAULT_TEMPLATES:
        _template, created = Template.objects.get_or_create(
            event=event, channel=channel, defaults={"subject": subject, "body": body}
        )
        added += created
    return added
