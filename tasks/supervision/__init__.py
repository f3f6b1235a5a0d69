"""The supervision loop (督办闭环): 签收, 申请办结, 复核 (办结销号 / 退回整改), and the three-colour 督办单.

loop.py holds the transition table and the writes that follow it; notices.py the notice rules and
their issue; delivery.py the one place a notice is sent; documents.py its .docx; workdays.py the
working-day calendar both use.
"""
