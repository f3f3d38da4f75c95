"""The printed wording of a notice board.

Boards are printed in Chinese whatever the language of the person who prints them, so
their wording is data here (like category names), not interface text to translate.
"""

TITLE = "网格服务公示牌"
SUBTITLE_WATER = "供水网格化服务 · 专人负责 · 有求必应"
SUBTITLE_HEAT = "供热网格化服务 · 专人负责 · 有求必应"
ROLE = "网格服务专员"
PHONE = "服务电话"
GRID = "所属网格"
DUTIES_TITLE = "工作职责"
SERVICES_TITLE = "服务内容"
HOTLINE = "24小时服务热线"
SCAN = "手机扫一扫"
SCAN_WHAT = "报修 · 查询进度 · 停水停热通知"
NO_SPECIALIST = "专员安排中"
NO_SPECIALIST_PHONE = "请拨打服务热线"
POSTED = "公示日期"
FOOTER = "欢迎广大居民监督我们的服务"

DUTIES = (
    "负责本网格小区的供水服务，受理居民报修、咨询和投诉",
    "接到报修第一时间联系居民，按时上门处理",
    "定期巡查小区供水设施，发现隐患及时上报处置",
    "停水前及时通知居民，恢复供水后回访",
)
SERVICES_WATER = (
    "管道漏水、爆管抢修",
    "水压低、无水、水质问题处理",
    "水表故障更换、抄表疑问解答",
    "水费查询与缴纳协助",
    "孤寡老人、残疾人上门服务",
)
SERVICES_HEAT = (
    "暖气不热、漏水抢修",
    "供热管网设施巡查",
    "热费查询与缴纳协助",
    "孤寡老人、残疾人上门服务",
)
