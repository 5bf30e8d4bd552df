# Reliability, part B (issue 8): crashes, disk and catalog faults, API abuse. Real processes, real sockets on
# 127.0.0.1, real SQLite files, the strict S3 test server. ConsoleServerProcess (tests/support) runs
# `keystone-console --server`.
add_library(keystone_reliability_support INTERFACE)
target_include_directories(keystone_reliability_support INTERFACE ${CMAKE_CURRENT_SOURCE_DIR})
target_link_libraries(keystone_reliability_support INTERFACE keystone_test_support Qt6::Network Qt6::Sql Qt6::Test)
add_dependencies(keystone_reliability_support keystone-console)

keystone_add_test(tst_crashrecovery SOURCES tst_crashrecovery.cpp LIBS keystone_reliability_support
                  LABELS reliability TIMEOUT 600)
keystone_add_test(tst_diskandcatalog SOURCES tst_diskandcatalog.cpp LIBS keystone_reliability_support
                  LABELS reliability TIMEOUT 300)
keystone_add_test(tst_apiabuse SOURCES tst_apiabuse.cpp LIBS keystone_reliability_support
                  LABELS reliability TIMEOUT 300)
keystone_add_test(tst_gracefulstop SOURCES tst_gracefulstop.cpp LIBS keystone_reliability_support
                  LABELS reliability TIMEOUT 180)
keystone_add_test(tst_swappedfiles SOURCES tst_swappedfiles.cpp LIBS keystone_reliability_support
                  LABELS reliability TIMEOUT 120)
