#pragma once

#include <QString>

#include <sys/types.h>

// The name of what a path is when it is not a regular file, from its st_mode, for messages that name it: "sub/pipe
// (FIFO)", "… is now a symbolic link", "credentials file … is not a regular file (a socket)". One wording for
// every place that refuses such a path.
[[nodiscard]] QString fileTypeName(mode_t mode);
