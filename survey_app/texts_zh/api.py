"""Messages of the JSON API's errors, keyed by their stable ``code`` (docs/api.md, "Errors").

The ``code`` is for programs and never changes; the ``message`` is for the person reading a
script's output and may be reworded.
"""

from __future__ import annotations

#: HTTP status → (code, message) for errors that carry no more specific code.
BY_STATUS = {
    400: ("bad_request", "请求有误，请核对参数。"),
    401: ("unauthorized", "缺少或无效的API令牌：请在请求头中发送“Authorization: Bearer <令牌>”（工作台 → API令牌）。"),
    403: ("forbidden", "您没有执行此操作的权限。"),
    404: ("not_found", "请求的资源不存在，或您无权查看。"),
    405: ("method_not_allowed", "不支持此请求方式。"),
    406: ("not_acceptable", "无法提供所请求的格式。"),
    413: ("too_large", "请求内容过大。"),
    429: ("too_many_requests", "请求过于频繁，请稍后再试。"),
    500: ("server_error", "服务器内部错误，请稍后重试；如持续出现请联系管理员。"),
}

BAD_QUERY = ("bad_query", "查询参数有误：{detail}")
BAD_CURSOR = ("bad_cursor", "分页游标无效，或与本次查询的筛选条件不一致：请从第一页重新开始。")
BAD_EXPORT = ("bad_export", "导出参数有误：{detail}")
INVALID_SETTINGS = ("invalid_settings", "调查的评分设置有误：{detail}")


def for_status(status: int) -> tuple[str, str]:
    """The code and message of an HTTP error status (a generic one for unlisted statuses)."""
    if status in BY_STATUS:
        return BY_STATUS[status]
    return ("server_error", BY_STATUS[500][1]) if status >= 500 else ("error", BY_STATUS[400][1])
