#ifndef CXDESK_CLIENTS_CLI_ENUM_WORDS_H_
#define CXDESK_CLIENTS_CLI_ENUM_WORDS_H_

// Moved to clients/common/enum_words.h (cxdesk_client_common). These names
// stay in cli:: only until the console includes that header; new code uses
// the common one (clients::EnumWord(value), clients::StatusWord(...)).

#include "clients/common/enum_words.h"

namespace cxdesk::clients::cli {

using ::cxdesk::clients::ActionStateWord;
using ::cxdesk::clients::AvailabilityWord;
using ::cxdesk::clients::AvailabilityWords;
using ::cxdesk::clients::ChannelWord;
using ::cxdesk::clients::ChannelWords;
using ::cxdesk::clients::ClockStateWord;
using ::cxdesk::clients::ClockStateWords;
using ::cxdesk::clients::CxLevelWord;
using ::cxdesk::clients::CxLevelWords;
using ::cxdesk::clients::DeliveryStateWord;
using ::cxdesk::clients::DeliveryStateWords;
using ::cxdesk::clients::EventTypeWord;
using ::cxdesk::clients::KindWord;
using ::cxdesk::clients::KindWords;
using ::cxdesk::clients::MetricWord;
using ::cxdesk::clients::MetricWords;
using ::cxdesk::clients::ParseAvailability;
using ::cxdesk::clients::ParseChannel;
using ::cxdesk::clients::ParseClockState;
using ::cxdesk::clients::ParseCxLevel;
using ::cxdesk::clients::ParseDeliveryState;
using ::cxdesk::clients::ParseKind;
using ::cxdesk::clients::ParseMetric;
using ::cxdesk::clients::ParsePriority;
using ::cxdesk::clients::ParseReportDimension;
using ::cxdesk::clients::ParseSlaEventKind;
using ::cxdesk::clients::ParseStatus;
using ::cxdesk::clients::PriorityWord;
using ::cxdesk::clients::PriorityWords;
using ::cxdesk::clients::ReportDimensionWord;
using ::cxdesk::clients::ReportDimensionWords;
using ::cxdesk::clients::RoleWord;
using ::cxdesk::clients::RoutingOutcomeWord;
using ::cxdesk::clients::RoutingTriggerWord;
using ::cxdesk::clients::SlaEventKindWord;
using ::cxdesk::clients::SlaEventKindWords;
using ::cxdesk::clients::StatusWord;
using ::cxdesk::clients::StatusWords;
using ::cxdesk::clients::StrategyWord;
using ::cxdesk::clients::TriggerKindWord;
using ::cxdesk::clients::VisibilityWord;
using ::cxdesk::clients::WeekdayWord;

}  // namespace cxdesk::clients::cli

#endif  // CXDESK_CLIENTS_CLI_ENUM_WORDS_H_
