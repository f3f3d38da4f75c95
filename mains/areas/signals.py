"""What areas tell the apps that print or show a grid's people, without knowing them.

`grid_contact_changed` (sender: the Grid class; grid, at): the person a grid's residents
should call, or their name or phone, changed. Notice boards listen (mains.boards.receivers).
"""

from django.dispatch import Signal

grid_contact_changed = Signal()
