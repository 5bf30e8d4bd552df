#pragma once

#include "catalog/episoderecord.h"

#include <QString>

// Where an episode's objects go: the one rule the uploads, the manifest and the views share, so the console can name
// an object before it exists (a pure function of the configuration and the episode, no I/O, any thread).
//
//   <keyPrefix>/<episode name>/<relative path>     the files (keyPrefix without trailing slashes; empty: none)
//   <keyPrefix>/<episode name>.manifest.json       the manifest, beside the folder of objects, written last
//
// Once an episode is completed its record names the prefix it really used (EpisodeRecord::cloudKeyPrefix): that
// one wins over the rule, since the configured prefix may have changed since.
class ObjectKeys
{
public:
    static QString episodePrefix(const QString &configKeyPrefix, const QString &episodeName);
    // The record's own prefix once completed, else the rule applied to configKeyPrefix (the configuration in force:
    // a running upload keeps the storage it started on until it drains, see SyncScheduler::applyConfig).
    static QString episodePrefix(const EpisodeRecord &episode, const QString &configKeyPrefix);
    static QString objectKey(const QString &episodePrefix, const QString &relativePath);
    static QString manifestKey(const QString &episodePrefix);
};
