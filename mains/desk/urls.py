from django.urls import path

from mains.desk.views import board, callbacks, field, files, intake, kpis, orders, reveal
from mains.desk.views.kpi_targets import kpi_targets_page

app_name = "desk"
urlpatterns = [
    path("intake/", intake.intake, name="intake"),
    path("reveal/", reveal.reveal, name="reveal"),
    path("intake/caller/", intake.caller_panel, name="intake_caller"),
    path("intake/caller/address/<int:pk>/", intake.caller_address, name="intake_address"),
    path("intake/communities/", intake.community_search, name="intake_communities"),
    path("intake/hints/", intake.duplicate_hints, name="intake_hints"),
    path("board/", board.board, name="board"),
    path("board/poll/", board.board_poll, name="board_poll"),
    path("orders/", orders.order_list, name="orders"),
    path("orders/<int:pk>/", orders.order_detail, name="order"),
    path("orders/<int:pk>/do/<str:action>/", orders.order_act, name="order_act"),
    path("orders/<int:pk>/files/<int:attachment_pk>/", files.attachment, name="attachment"),
    path("mine/", field.my_orders, name="my_orders"),
    path("mine/<int:pk>/do/<str:action>/", field.card_act, name="my_order_act"),
    path("callbacks/", callbacks.callbacks, name="callbacks"),
    path("callbacks/<int:pk>/", callbacks.callback_record, name="callback_record"),
    path("kpis/", kpis.kpis, name="kpis"),
    path("kpis/export.xlsx", kpis.kpis_export, name="kpis_export"),
    path("kpis/targets/", kpi_targets_page, name="kpi_targets"),
]
