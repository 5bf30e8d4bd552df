#include "statecolors.h"

#include <algorithm>
#include <cmath>

#include <QHash>
#include <QPainter>
#include <QPixmap>

namespace StateColors {

namespace {

double channel(double value)
{
    return value <= 0.03928 ? value / 12.92 : std::pow((value + 0.055) / 1.055, 2.4);
}

double luminance(const QColor &color)
{
    return 0.2126 * channel(color.redF()) + 0.7152 * channel(color.greenF()) + 0.0722 * channel(color.blueF());
}

bool isDark(const QColor &background)
{
    return luminance(background) < 0.2;
}

// The hues the console has always used (on a light background); readableOn() adapts them to the palette.
QColor baseColor(EpisodeState state)
{
    switch (state) {
    case EpisodeState::Scanning:
    case EpisodeState::Pending:
        return QColor(0x7a, 0x86, 0x93);
    case EpisodeState::InProgress:
        return QColor(0x2f, 0x6d, 0xb5);
    case EpisodeState::Completed:
        return QColor(0x2e, 0x9b, 0x57);
    case EpisodeState::Failed:
        return QColor(0xc0, 0x39, 0x2b);
    case EpisodeState::Cancelled:
        return QColor(0x6c, 0x75, 0x7d);
    }
    return {};
}

} // namespace

double contrastRatio(const QColor &a, const QColor &b)
{
    const double la = luminance(a);
    const double lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

QColor readableOn(const QColor &color, const QColor &background, double ratio)
{
    // Away from the background: lighter on a dark one, darker on a light one, in small HSL steps.
    const bool lighten = isDark(background);
    QColor candidate = color.toHsl();
    for (int step = 0; step < 40 && contrastRatio(candidate, background) < ratio; ++step) {
        const double lightness = candidate.lightnessF() + (lighten ? 0.025 : -0.025);
        candidate.setHslF(candidate.hslHueF(), candidate.hslSaturationF(), std::clamp(lightness, 0.0, 1.0));
    }
    return candidate.toRgb();
}

QColor forState(EpisodeState state, const QPalette &palette)
{
    return readableOn(baseColor(state), palette.color(QPalette::Base), kTextContrast);
}

QIcon stateDot(EpisodeState state, const QPalette &palette)
{
    static QHash<QRgb, QIcon> icons;
    const QColor color = forState(state, palette);
    auto it = icons.find(color.rgb());
    if (it == icons.end()) {
        QPixmap pixmap(24, 24);
        pixmap.fill(Qt::transparent);
        QPainter painter(&pixmap);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setPen(Qt::NoPen);
        painter.setBrush(color);
        painter.drawEllipse(QRectF(5, 5, 14, 14));
        painter.end();
        pixmap.setDevicePixelRatio(2);
        it = icons.insert(color.rgb(), QIcon(pixmap));
    }
    return *it;
}

QColor success(const QPalette &palette)
{
    return readableOn(baseColor(EpisodeState::Completed), palette.color(QPalette::Window), kTextContrast);
}

QColor failure(const QPalette &palette)
{
    return readableOn(baseColor(EpisodeState::Failed), palette.color(QPalette::Window), kTextContrast);
}

QColor warningBackground(const QPalette &palette)
{
    const QColor window = palette.color(QPalette::Window);
    return isDark(window) ? QColor(0x4a, 0x38, 0x10) : QColor(0xfd, 0xed, 0xc8);
}

QColor warningText(const QPalette &palette)
{
    const QColor background = warningBackground(palette);
    return readableOn(
        isDark(background) ? QColor(0xff, 0xe0, 0xa0) : QColor(0x5c, 0x3b, 0x00), background, kTextContrast);
}

} // namespace StateColors
