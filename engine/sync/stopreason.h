#pragma once

// Why the scheduler stopped a running attempt (None: it ended on its own). The attempt's outcome depends on it:
// a cancel ends the episode cancelled and its multipart uploads aborted, every other stop puts it back to pending
// with its uploads kept (AttemptOutcome).
enum class StopReason { None, Cancel, Pause, Shutdown, Reconfigure };
