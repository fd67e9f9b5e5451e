"""The command line's own lines in zh and en: its problems (one line each) and `watch`'s lines.

The store raises a `WeekwatchError` whose `str()` is the English line and whose `tag` and
`fields` name it; `said` gives that line in the operator's language (`--lang`, else `lang` in
weekwatch.toml). The English templates here give back exactly the store's English line
(`tests/test_cli_lang.py` checks both). Merged into `i18n._T`. No Textual.
"""

from __future__ import annotations

CLI: dict[str, tuple[str, str]] = {
    # weekwatch watch
    "watch.watching": ("正在监视 {inbox}（Ctrl-C 停止）", "watching {inbox} (Ctrl-C to stop)"),
    "watch.added": ("+ {path}  →  {where}", "+ {path}  →  {where}"),
    "watch.quarantined": ("待分拣：{reason}", "quarantine: {reason}"),
    "watch.gone": ("- {path}  （已从收件夹移走）", "- {path}  (gone)"),
    # the roster and the cells
    "error.unit_id": (
        "名单中没有编号为“{id}”的单位（见 weekwatch units list）",
        "no unit with id {id!r} (see `weekwatch units list`)",
    ),
    "error.column": (
        "没有“{cell}”这一列；各列为 {columns}",
        "no column {cell!r}; the columns are {columns}",
    ),
    "error.no_units": (
        "{path}：其中没有单位（只有表头？）；什么也没有导入",
        "{path}: no units in it (only a header?); nothing was imported",
    ),
    # recording
    "error.read_only": (
        "只读打开：不能记录任何操作",
        "this dashboard is read-only: nothing can be recorded",
    ),
    "error.note_text": ("备注不能为空", "a note needs some text"),
    "error.excuse_reason": ("免责要写明理由", "an excuse needs a reason"),
    "error.outside_inbox": (
        "“{typed}”不在收件夹 {inbox} 内",
        "{typed!r} is not inside the inbox {inbox}",
    ),
    "error.ingest_outside": (
        "{shown}：不在收件夹（{inbox}）内；weekwatch 只收录收件夹里的文件",
        "{shown}: not inside the inbox ({inbox}); weekwatch takes in only what lies there",
    ),
    "error.ingest_inbox": (
        "这是收件夹本身：请用 weekwatch ingest 扫描它",
        "the inbox itself: scan it with `weekwatch ingest`",
    ),
    "error.ingest_missing": (
        "{shown}：收件夹里没有这个文件或文件夹",
        "{shown}: no such file or folder in the inbox",
    ),
    "error.ingest_through": (
        "{shown}：这条路径经过{kind}（{through}），weekwatch 从不跟随",
        "{shown}: the path goes through a {kind} ({through}), which weekwatch never follows",
    ),
    "error.no_material": (
        "“{typed}”没有对应的材料（见 weekwatch materials）",
        "no material at {typed!r} (see `weekwatch materials`)",
    ),
    "error.unknown_kind": (
        "没有“{kind}”这种类型；可选：{kinds}",
        "unknown kind {kind!r}; the kinds are {kinds}",
    ),
    "error.received_reason": (
        "更正到达时间要写明理由（--reason）",
        "a corrected arrival time needs a reason (--reason)",
    ),
    "error.which_unit": (
        "{path}：请用 --unit 说明它属于哪个单位",
        "{path}: say which unit it belongs to (--unit)",
    ),
    "error.which_unit_files": (
        "{path}：请用 --unit 说明其中的文件属于哪个单位",
        "{path}: say which unit its files belong to (--unit)",
    ),
    "error.which_cell": (
        "{path}：请用 --cell 说明它属于哪一列",
        "{path}: say which column it belongs to (--cell)",
    ),
    "error.which_cell_files": (
        "{path}：请用 --cell 说明其中的文件属于哪一列",
        "{path}: say which column its files belong to (--cell)",
    ),
    "error.named_twice": ("同一个单位或同一列写了两次", "a unit or a cell is named twice"),
    "error.dismiss_reason": ("剔除要写明理由（--reason）", "a dismissal needs a reason (--reason)"),
    "error.already_dismissed": ("{path} 已经剔除", "{path} is already dismissed"),
    "error.name_file": (
        "请写出要标记的文件（按 weekwatch materials 列出的写法）",
        "name the file to mark (as `weekwatch materials` prints it)",
    ),
    "error.already_recommended": (
        "已经推荐过：{shown}（--undo 取消推荐）",
        "already recommended: {shown} (--undo takes the mark off)",
    ),
    "error.not_recommended": ("没有推荐过：{shown}", "not recommended: {shown}"),
    "error.undo_note": ("recommend --undo 不带 --note", "recommend --undo takes no --note"),
    # undo and redo
    "error.nothing_to_undo": ("没有可撤销的操作", "nothing to undo"),
    "error.not_yours": (
        "{me} 没有可撤销的操作；最新的一条是 {other} 的（{what}，{at}）："
        "`weekwatch undo {id}` 可撤销它",
        "nothing of {me}'s to undo; the newest action is {other}'s ({what}, {at}): "
        "`weekwatch undo {id}` takes it back",
    ),
    "error.already_undone": ("操作 {id} 已经撤销", "action {id} is already undone"),
    "error.nothing_to_redo": ("没有可重做的操作", "nothing to redo"),
    "error.no_action": (
        "没有编号为“{text}”的操作（见 weekwatch log）",
        "no action with id {text!r} (see `weekwatch log`)",
    ),
    "error.several_actions": (
        "“{text}”对应 {n} 条操作（{ids}）：请多写几位编号",
        "{text!r} names {n} actions ({ids}): give more of the id",
    ),
    # the workspace
    "error.no_workspace": (
        "这里和上级文件夹都没有 {config}；运行 `weekwatch init 文件夹` 或用 --workspace 指明",
        "no {config} here or in any parent folder; run `weekwatch init DIR` or pass --workspace",
    ),
    "error.no_folder": (
        "{path}（来自 {source}）：没有这个文件夹",
        "{path} (from {source}): no such folder",
    ),
    "error.not_folder": (
        "{path}（来自 {source}）：不是文件夹",
        "{path} (from {source}): not a folder",
    ),
    "error.no_config": (
        "{path}（来自 {source}）：文件夹中没有 {config}；"
        "运行 `weekwatch init {text}` 把它建成工作区",
        "{path} (from {source}): no {config} in this folder; "
        "run `weekwatch init {text}` to make it a workspace",
    ),
    # the command line
    "error.usage": ("{message}（见 `{prog} --help`）", "{message} (see `{prog} --help`)"),
    "error.flag": ("{flag}：{error}", "{flag}: {error}"),
    "error.units_say": (
        "weekwatch units：请写 `units import 文件` 或 `units list`",
        "weekwatch units: say `units import FILE` or `units list`",
    ),
    "error.report_say": (
        "weekwatch report：请写 calls、day、stats、actions 或 pack",
        "weekwatch report: say calls, day, stats, actions or pack",
    ),
    "error.start_date": (
        "--start “{text}”：日期请写成 YYYY-MM-DD",
        "--start {text!r}: expected a date as YYYY-MM-DD",
    ),
    "error.not_a_day": (
        "--column {text}：{when} 不在活动周内（{start} – {end}）",
        "--column {text}: {when} is not a day of the week ({start} – {end})",
    ),
    "error.unknown_state": (
        "--only：没有状态 {bad}；可用的状态：{states}",
        "--only: unknown state {bad}; the states are {states}",
    ),
    # what the system refused (tui/cli.py main): the operator, or the folder's owner, can fix it
    "os.permission": (
        "{where}{why}：本账号无权使用；多位操作员共用的工作区需要他们在同一个组"
        "（chmod -R g+rwX、chgrp -R）",
        "{where}{why}: this account may not use it; a workspace shared by several operators "
        "needs them in one group (chmod -R g+rwX, chgrp -R)",
    ),
    "os.error": ("{where}{why}", "{where}{why}"),
    "os.range": ("有个值超出了范围（{error}）", "a value is out of range ({error})"),
    # the system's words for the refusals an operator meets (by errno name)
    "os.EACCES": ("没有权限", "Permission denied"),
    "os.EPERM": ("不允许的操作", "Operation not permitted"),
    "os.ENOSPC": ("磁盘空间已满", "No space left on device"),
    "os.EROFS": ("文件系统只读", "Read-only file system"),
    "os.ENOENT": ("没有这个文件或文件夹", "No such file or directory"),
    "os.EIO": ("读写出错（磁盘或网络共享）", "Input/output error"),
    "os.EDQUOT": ("超出磁盘配额", "Disk quota exceeded"),
    "os.ESTALE": ("网络共享的文件句柄已失效", "Stale file handle"),
}


def said(error: Exception, lang: str) -> str:
    """`error` in `lang`: a typed value's mistake with this week's examples (`guards.say`),
    a coded problem from this table, anything else as the store words it (English)."""
    from weekwatch.store.model import WeekwatchError
    from weekwatch.store.vocab import InputError

    from .i18n import I18n

    if lang != "zh" or not isinstance(error, WeekwatchError):
        return str(error)
    if isinstance(error, InputError):
        from .guards import kind_names, say

        t = I18n(lang)
        if error.code == "kind" and not error.detail:  # the kinds as the form names them
            return t("input.kind", text=error.text, kinds=kind_names(t))
        return say(error, t)
    from .i18n_config import CONFIG, TOML_DETAILS

    key = f"error.{error.tag}"
    if not error.tag or (key not in CLI and key not in CONFIG):
        return str(error)
    fields = {k: said(v, lang) if isinstance(v, Exception) else v for k, v in error.fields.items()}
    if error.tag == "not_toml":  # tomllib's own words
        fields["detail"] = TOML_DETAILS.get(str(fields["detail"]), fields["detail"])
    # A field said differently in Chinese comes as `name_zh` beside `name`.
    fields.update({k.removesuffix("_zh"): v for k, v in fields.items() if k.endswith("_zh")})
    return I18n(lang)(key, **fields)
