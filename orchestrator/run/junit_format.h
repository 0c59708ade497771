#pragma once

// `ripple run --junit F`: the run as JUnit XML, the format GitLab's test reports
// (artifacts:reports:junit), Jenkins and most CI dashboards read:
//
//   <testsuites name="ripple" tests="3" failures="1" errors="0" skipped="1" time="12.400">
//     <testsuite name="ripple" tests="3" failures="1" errors="0" skipped="1" time="12.400">
//       <testcase classname="web" name="test" time="8.210" file="apps/web">
//         <failure message="exit code 1" type="exit code 1"><![CDATA[...log tail...]]></failure>
//       </testcase>
//       <testcase classname="api" name="build" time="0.020" file="services/api">
//         <system-out>cached (local)</system-out>
//       </testcase>
//       <testcase classname="web" name="e2e" time="0.000" file="apps/web">
//         <skipped message="a dependency did not succeed"/>
//       </testcase>
//     </testsuite>
//   </testsuites>
//
// One testcase per task with a command (tasks without one are left out), in dependency order.
// Text is escaped for XML 1.0 (&, <, >, quotes; control characters and invalid UTF-8 become
// U+FFFD; "]]>" is split across CDATA sections). Pure.

#include <cstddef>
#include <string>

#include "orchestrator/run/run_summary.h"

namespace ripple {

// GitLab's limit on a JUnit report file.
inline constexpr std::size_t kJunitMaxBytes = 30u * 1024 * 1024;
// Lines of a failed task's log in its <failure> element.
inline constexpr std::size_t kJunitLogLines = 200;

// The JUnit document of `run`, at most `max_bytes` long as long as its testcases without log tails
// fit: failures' log tails are shortened to share what is left, each saying so.
std::string format_junit(const RunRecord& run, std::size_t max_bytes = kJunitMaxBytes);

// `text` escaped for an XML attribute value or element text.
std::string xml_escape(std::string_view text);

// `text` as one or more CDATA sections (a "]]>" in it is split across two).
std::string xml_cdata(std::string_view text);

}  // namespace ripple
