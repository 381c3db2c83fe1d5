"""The live meeting: participants score and weight from their own browsers.

Everything here but ``server`` is plain Python: codes and tokens, limits, the question shown for
an option, the checks on a submission, the tally, and the meeting's state and storage. The
server (aiohttp, in its own thread) only carries requests to ``LiveMeeting`` and back.
"""
