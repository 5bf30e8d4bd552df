#include "aboutdialog.h"

#include "storage/transportversions.h"

#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QLabel>
#include <QVBoxLayout>

AboutDialog::AboutDialog(const Facts &facts, QWidget *parent)
    : QDialog(parent)
{
    setObjectName(QStringLiteral("aboutDialog"));
    setWindowTitle(tr("About Keystone Console"));
    auto *label = new QLabel(text(facts), this);
    label->setObjectName(QStringLiteral("aboutText"));
    label->setTextFormat(Qt::RichText);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    label->setWordWrap(true);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(label);
    layout->addWidget(buttons);
}

AboutDialog::Facts AboutDialog::runningFacts()
{
    const TransportVersions transport = TransportVersions::current();
    Facts facts;
    facts.version = QCoreApplication::applicationVersion();
    facts.qtVersion = QString::fromLatin1(qVersion());
    facts.curlVersion = transport.curl;
    facts.tlsVersion = transport.tls;
    return facts;
}

QString AboutDialog::text(const Facts &facts)
{
    const auto row = [](const QString &name, const QString &value) {
        return QStringLiteral("<tr><td>%1</td><td>%2</td></tr>").arg(name, value.toHtmlEscaped());
    };
    QString rows;
    rows += row(tr("Version"), facts.version);
    rows += row(tr("Qt"), facts.qtVersion);
    rows += row(tr("libcurl"), facts.curlVersion);
    rows += row(tr("TLS"), facts.tlsVersion.isEmpty() ? tr("none") : facts.tlsVersion);
    rows += row(tr("Data directory"), facts.dataDir);
    rows += row(tr("Local API"), facts.apiUrl.isEmpty() ? tr("not running") : facts.apiUrl);
    return QStringLiteral("<h3>%1</h3><p>%2</p><table cellspacing=\"4\">%3</table>")
        .arg(tr("Keystone Console"), tr("Uploads robot episodes to S3-compatible object storage."), rows);
}
