#include "storagepage.h"

#include "settingsfield.h"
#include "storage/plaintextendpoint.h"

#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QRadioButton>
#include <QVBoxLayout>

StoragePage::StoragePage(QWidget *parent)
    : QGroupBox(tr("Storage"), parent)
{
    m_provider = new QComboBox(this);
    m_provider->setObjectName(QStringLiteral("provider"));
    m_provider->addItem(tr("AWS S3"), int(EndpointProfile::Provider::AwsS3));
    m_provider->addItem(tr("Alibaba Cloud OSS (native)"), int(EndpointProfile::Provider::AlibabaOss));
    m_provider->addItem(tr("Cloudflare R2"), int(EndpointProfile::Provider::CloudflareR2));
    m_provider->addItem(tr("Backblaze B2 (S3 API)"), int(EndpointProfile::Provider::BackblazeB2));
    m_provider->addItem(tr("Wasabi"), int(EndpointProfile::Provider::Wasabi));
    m_provider->addItem(tr("MinIO / custom S3-compatible"), int(EndpointProfile::Provider::Custom));
    connect(m_provider, &QComboBox::activated, this,
        [this](int index) { applyPreset(EndpointProfile::Provider(m_provider->itemData(index).toInt())); });
    connect(m_provider, &QComboBox::currentIndexChanged, this, &StoragePage::updateForProvider);
    m_endpoint = SettingsField::lineEdit(this, "endpoint");
    m_endpoint->setPlaceholderText(endpointPlaceholder(EndpointProfile::Provider::Custom));
    connect(m_endpoint, &QLineEdit::editingFinished, this, &StoragePage::endpointEdited);
    m_endpointWarning = SettingsField::note(this, "endpointWarning");
    m_endpointWarning->hide();
    connect(m_endpoint, &QLineEdit::textChanged, this, &StoragePage::showEndpointWarning);
    m_region = SettingsField::lineEdit(this, "region");
    m_bucket = SettingsField::lineEdit(this, "bucket");
    m_keyPrefix = SettingsField::lineEdit(this, "keyPrefix");
    m_pathStyle = new QRadioButton(tr("&Path style (host/bucket/key)"), this);
    m_pathStyle->setObjectName(QStringLiteral("pathStyle"));
    m_virtualHosted = new QRadioButton(tr("&Virtual-hosted (bucket.host/key)"), this);
    m_virtualHosted->setObjectName(QStringLiteral("virtualHosted"));
    m_signatureVersion = new QComboBox(this);
    m_signatureVersion->setObjectName(QStringLiteral("signatureVersion"));
    m_signatureVersion->addItem(tr("V4"), int(EndpointProfile::SignatureVersion::V4));
    m_signatureVersion->addItem(tr("V1 (legacy)"), int(EndpointProfile::SignatureVersion::V1));
    m_signatureVersion->setToolTip(signatureToolTip());
    auto *addressing = new QVBoxLayout;
    addressing->addWidget(m_pathStyle);
    addressing->addWidget(m_virtualHosted);

    auto *form = new QFormLayout(this);
    form->addRow(tr("Pro&vider:"), m_provider);
    form->addRow(tr("&Endpoint:"), m_endpoint);
    form->addRow(QString(), m_endpointWarning);
    form->addRow(tr("&Region:"), m_region);
    form->addRow(tr("&Bucket:"), m_bucket);
    form->addRow(tr("Key pre&fix:"), m_keyPrefix);
    form->addRow(tr("Addressing:"), addressing);
    form->addRow(tr("Si&gnature:"), m_signatureVersion);
}

void StoragePage::load(const ConsoleSettings &settings)
{
    const int index = m_provider->findData(int(settings.provider));
    m_provider->setCurrentIndex(index >= 0 ? index : m_provider->count() - 1);
    m_endpoint->setText(settings.endpoint);
    m_region->setText(settings.region);
    m_bucket->setText(settings.bucket);
    m_keyPrefix->setText(settings.keyPrefix);
    (settings.pathStyle ? m_pathStyle : m_virtualHosted)->setChecked(true);
    m_signatureVersion->setCurrentIndex(m_signatureVersion->findData(int(settings.signatureVersion)));
    updateForProvider(); // also when the provider stayed: the part-size minimum follows it
}

void StoragePage::save(ConsoleSettings &settings) const
{
    settings.provider = provider();
    settings.endpoint = m_endpoint->text().trimmed();
    settings.region = m_region->text().trimmed();
    settings.bucket = m_bucket->text().trimmed();
    settings.keyPrefix = m_keyPrefix->text().trimmed();
    settings.pathStyle = m_pathStyle->isChecked();
    // The combo is disabled but keeps its choice for other providers, which only sign one way.
    settings.signatureVersion = settings.provider == EndpointProfile::Provider::AlibabaOss
        ? EndpointProfile::SignatureVersion(m_signatureVersion->currentData().toInt())
        : EndpointProfile::SignatureVersion::V4;
}

void StoragePage::setFixed(const FixedSettings &fixed)
{
    using Field = FixedSettings::Field;
    m_fixed = fixed;
    SettingsField::markFixed(m_provider, fixed, Field::Provider);
    SettingsField::markFixed(m_endpoint, fixed, Field::Endpoint);
    SettingsField::markFixed(m_region, fixed, Field::Region);
    SettingsField::markFixed(m_bucket, fixed, Field::Bucket);
    SettingsField::markFixed(m_keyPrefix, fixed, Field::KeyPrefix);
    SettingsField::markFixed(m_pathStyle, fixed, Field::Addressing);
    SettingsField::markFixed(m_virtualHosted, fixed, Field::Addressing);
    m_signatureVersion->setToolTip(signatureToolTip());
    updateForProvider(); // the signature combo's state
}

QString StoragePage::signatureToolTip() const
{
    if (m_fixed.isFixed(FixedSettings::Field::SignatureVersion))
        return m_fixed.explanation(FixedSettings::Field::SignatureVersion);
    return tr("Alibaba Cloud OSS request signatures: V4, or V1 for older deployments.");
}

void StoragePage::applyPreset(EndpointProfile::Provider provider)
{
    const int index = m_provider->findData(int(provider));
    if (index >= 0)
        m_provider->setCurrentIndex(index);
    const EndpointProfile preset = EndpointProfile::preset(provider);
    m_endpoint->setText(preset.endpoint.toString());
    m_region->setText(preset.region);
    (preset.pathStyle ? m_pathStyle : m_virtualHosted)->setChecked(true);
}

// What to type where the preset cannot fill the endpoint (R2's names the account, B2's the region).
QString StoragePage::endpointPlaceholder(EndpointProfile::Provider provider)
{
    const QString form = EndpointProfile::requiredEndpointForm(provider);
    return form.isEmpty() ? tr("https://host[:port]") : form;
}

EndpointProfile::Provider StoragePage::provider() const
{
    return EndpointProfile::Provider(m_provider->currentData().toInt());
}

void StoragePage::updateForProvider()
{
    const EndpointProfile::Provider current = provider();
    m_signatureVersion->setEnabled(
        current == EndpointProfile::Provider::AlibabaOss && !m_fixed.isFixed(FixedSettings::Field::SignatureVersion));
    m_endpoint->setPlaceholderText(endpointPlaceholder(current));
    Q_EMIT providerChanged(current);
}

void StoragePage::endpointEdited()
{
    if (!EndpointProfile::regionFollowsEndpoint(provider()))
        return;
    const QString region = EndpointProfile::regionFromHost(provider(), QUrl(m_endpoint->text().trimmed()).host());
    if (!region.isEmpty())
        m_region->setText(region);
}

void StoragePage::showEndpointWarning()
{
    const QString warning = PlainTextEndpoint::warning(QUrl(m_endpoint->text().trimmed()));
    m_endpointWarning->setText(warning.isEmpty() ? QString() : tr("Warning: %1").arg(warning));
    m_endpointWarning->setVisible(!warning.isEmpty());
}
