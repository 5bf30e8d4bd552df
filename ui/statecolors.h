#pragma once

#include "catalog/episodestate.h"

#include <QColor>
#include <QIcon>
#include <QPalette>

// The colours the console gives meaning to (an episode's state, a warning, success and failure), derived from the
// palette in use so they stay readable on a dark one as on a light one: each keeps its hue and is lightened or
// darkened until it stands out from the background by a contrast ratio (WCAG 2.x: 4.5 for text, 3 for shapes).
namespace StateColors {

constexpr double kTextContrast = 4.5;
constexpr double kShapeContrast = 3.0;

// WCAG 2.x contrast ratio of two opaque colours, 1 (same) to 21 (black on white).
[[nodiscard]] double contrastRatio(const QColor &a, const QColor &b);
// color with its hue and saturation, its lightness moved away from background until the ratio is reached (or as far
// as it goes).
[[nodiscard]] QColor readableOn(const QColor &color, const QColor &background, double ratio);

// A state's colour for text and marks on the view's base (the table's background).
[[nodiscard]] QColor forState(EpisodeState state, const QPalette &palette);
// A round dot in the state's colour (forState), the icon beside its name. Drawn once per colour (high-DPI: at twice
// the size), so a palette change (dark mode) draws new ones.
[[nodiscard]] QIcon stateDot(EpisodeState state, const QPalette &palette);
[[nodiscard]] QColor success(const QPalette &palette); // on the window (a dialog's label)
[[nodiscard]] QColor failure(const QPalette &palette);
// The storage banner: an amber background set off from the window, and text readable on it.
[[nodiscard]] QColor warningBackground(const QPalette &palette);
[[nodiscard]] QColor warningText(const QPalette &palette);

} // namespace StateColors
