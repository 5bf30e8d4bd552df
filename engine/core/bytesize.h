#pragma once

#include <QString>
#include <QtGlobal>

// Sizes as people type them on the command line, in the config file and in the bandwidth schedule: "8M", "8MiB",
// "8388608", "1G". K, M and G are binary (KiB, MiB, GiB) as in rclone and most upload tools, and a trailing "B" or
// "iB" is allowed so that both habits read the same.
namespace ByteSize {

// Bytes, or -1 when the text is not a size (or overflows qint64). Case-insensitive; blanks around it are ignored.
[[nodiscard]] qint64 parse(const QString &text);

// The shortest exact form parse() reads back: the largest of G, M, K that divides bytes evenly, else plain bytes
// (10485760 → "10M", 1572864 → "1536K", 1536 → "1536", 0 → "0"). Exact rather than rounded, so a saved setting
// never drifts when it is written back.
[[nodiscard]] QString format(qint64 bytes);

} // namespace ByteSize
