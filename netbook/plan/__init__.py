"""The weekly networking block: who to reach this week, why, and the sheet and event.

planner   pure rules over plain data (no Qt, no SQL, no clock)
service   loads candidates from the store, remembers the plan per open store
connector the store side of the connector: one contact whole, who could help, the
          week's introductions and the network map's data (Qt-free, like service)
matching  pure: a need's words against people's work (snowballstemmer; never offers)
stats     is the habit working: the weeks in numbers (the Review, `netbook stats`)
layout    pure: the network map's force-directed layout (numpy, scipy)
wording   every sentence about dates and gifts the plan, the sheet and the .ics say
ics       the block as an iCalendar event
sheet     the printable call list (QtGui only, so the command line draws it too)
"""
