"""The weekly networking block: who to reach this week, why, and the sheet and event.

planner   pure rules over plain data (no Qt, no SQL, no clock)
service   loads candidates from the store, remembers the plan per open store
wording   every sentence about dates and gifts the plan, the sheet and the .ics say
ics       the block as an iCalendar event
sheet     the printable call list (QtGui only, so the command line draws it too)
"""
