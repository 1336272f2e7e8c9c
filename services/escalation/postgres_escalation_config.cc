// PostgresEscalationStore, configuration: teams, agents, routing rules and
// ladders, each write bumping the configuration revision in its
// transaction, and the directory read in one snapshot.
#include <optional>
#include <pqxx/pqxx>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/common/pg_values.h"
#include "services/common/status_macros.h"
#include "services/common/text.h"
#include "services/escalation/postgres_escalation_rows.h"
#include "services/escalation/postgres_escalation_store.h"
#include "services/escalation/queries.h"

namespace cxdesk::escalation {
namespace {

using common::ArrayLiteral;
using common::PgCols;
using pg_rows::CheckVersion;
using pg_rows::IntArray;
using pg_rows::NotFound;
using pg_rows::ReadAgent;
using pg_rows::ReadOpenTickets;
using pg_rows::ReadRule;
using pg_rows::ReadTeam;

// Separates the actions of one step inside kInsertLadderSteps' array.
constexpr char kActionSeparator = '\x1f';

void WriteLadderSteps(pqxx::work& txn, const Ladder& ladder) {
  std::vector<int64_t> levels, delays;
  std::vector<std::string> triggers, actions;
  for (const Step& s : ladder.steps) {
    levels.push_back(s.level);
    triggers.push_back(Name(s.trigger.kind));
    delays.push_back(s.trigger.kind == Trigger::Kind::kAfterBreach
                         ? absl::ToInt64Microseconds(s.trigger.delay)
                         : 0);
    std::vector<std::string> words;
    for (const Action& a : s.actions) words.push_back(ActionWord(a));
    actions.push_back(absl::StrJoin(words, std::string(1, kActionSeparator)));
  }
  txn.exec_prepared(queries::kDeleteLadderSteps.name, ladder.metric);
  txn.exec_prepared(queries::kInsertLadderSteps.name, ladder.metric,
                    IntArray(levels), ArrayLiteral(triggers), IntArray(delays),
                    ArrayLiteral(actions));
}

std::vector<LadderRecord> ReadLadders(pqxx::transaction_base& txn,
                                      const std::string& metric) {
  std::vector<LadderRecord> out;
  for (const auto& row : txn.exec_prepared(queries::kLadders.name, metric)) {
    PgCols c(row);
    LadderRecord r;
    r.ladder.metric = c.Str();
    r.version = c.Int();
    r.update_time = c.Time();
    out.push_back(std::move(r));
  }
  for (const auto& row :
       txn.exec_prepared(queries::kLadderSteps.name, metric)) {
    PgCols c(row);
    const std::string m = c.Str();
    Step step;
    step.level = static_cast<int>(c.Int());
    step.trigger.kind =
        ParseTriggerKind(c.Str()).value_or(Trigger::Kind::kOnBreach);
    step.trigger.delay = absl::Microseconds(c.Int());
    for (const std::string& word : c.TextArray()) {
      absl::StatusOr<Action> action = ParseActionWord(word);
      if (action.ok()) step.actions.push_back(*std::move(action));
    }
    for (LadderRecord& r : out) {
      if (r.ladder.metric == m) r.ladder.steps.push_back(std::move(step));
    }
  }
  return out;
}

void WriteRuleRow(pqxx::work& txn, const char* statement, const RuleRecord& r,
                  absl::Time now) {
  const RoutingRule& x = r.rule;
  txn.exec_prepared(statement, x.id, x.position, ArrayLiteral(x.kinds),
                    ArrayLiteral(x.cx_levels), ArrayLiteral(x.priorities),
                    ArrayLiteral(x.channels), ArrayLiteral(x.tags_any),
                    ArrayLiteral(x.words_any), ArrayLiteral(x.customer_emails),
                    x.team, std::string(Name(x.strategy)),
                    absl::ToUnixMicros(now));
}

void WriteAgentRow(pqxx::work& txn, const char* statement, const AgentRecord& r,
                   absl::Time now) {
  const Agent& a = r.agent;
  txn.exec_prepared(statement, a.id, a.name, ArrayLiteral(a.teams),
                    ArrayLiteral(a.skills), a.tier, a.capacity,
                    std::string(Name(a.availability)), a.shift_calendar,
                    absl::ToUnixMicros(now));
}

absl::Status CheckSingleDefault(pqxx::work& txn, const TeamRecord& r) {
  if (!r.default_team) return absl::OkStatus();
  pqxx::result other =
      txn.exec_prepared(queries::kOtherDefaultTeam.name, r.team.id);
  if (other.empty()) return absl::OkStatus();
  return absl::FailedPreconditionError(
      absl::StrCat("team.default_team: team ",
                   common::Excerpt(other[0][0].as<std::string>()),
                   " is the default team already; unset it there first"));
}

void WriteTeamRow(pqxx::work& txn, const char* statement, const TeamRecord& r,
                  absl::Time now) {
  txn.exec_prepared(statement, r.team.id, r.display_name, r.team.lead,
                    r.team.manager, r.team.default_calendar, r.default_team,
                    r.webhook_url, r.webhook_secret, absl::ToUnixMicros(now));
}

}  // namespace

// ---- teams ----

absl::StatusOr<TeamRecord> PostgresEscalationStore::CreateTeam(
    const TeamRecord& team, absl::Time now) {
  CXDESK_RETURN_IF_ERROR(pool_.Transact([&](pqxx::work& txn) -> absl::Status {
    CXDESK_RETURN_IF_ERROR(CheckSingleDefault(txn, team));
    WriteTeamRow(txn, queries::kInsertTeam.name, team, now);
    txn.exec_prepared(queries::kBumpRevision.name);
    return absl::OkStatus();
  }));
  return GetTeam(team.team.id);
}

absl::StatusOr<TeamRecord> PostgresEscalationStore::GetTeam(
    const std::string& id) {
  std::optional<TeamRecord> out;
  CXDESK_RETURN_IF_ERROR(pool_.Autocommit([&](pqxx::transaction_base& txn) {
    pqxx::result rows = txn.exec_prepared(queries::kTeamById.name, id);
    if (!rows.empty()) out = ReadTeam(rows[0]);
    return absl::OkStatus();
  }));
  if (!out.has_value()) return NotFound("team", id);
  return *std::move(out);
}

absl::StatusOr<std::vector<TeamRecord>> PostgresEscalationStore::ListTeams(
    int offset, int limit) {
  std::vector<TeamRecord> out;
  CXDESK_RETURN_IF_ERROR(pool_.Autocommit([&](pqxx::transaction_base& txn) {
    out.clear();
    for (const auto& row :
         txn.exec_prepared(queries::kListTeams.name, offset, limit)) {
      out.push_back(ReadTeam(row));
    }
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<TeamRecord> PostgresEscalationStore::UpdateTeam(
    const TeamRecord& team, int64_t expected_version, absl::Time now) {
  CXDESK_RETURN_IF_ERROR(pool_.Transact([&](pqxx::work& txn) -> absl::Status {
    CXDESK_RETURN_IF_ERROR(CheckVersion(
        txn.exec_prepared(queries::kLockTeamRow.name, team.team.id),
        expected_version, "team", team.team.id));
    CXDESK_RETURN_IF_ERROR(CheckSingleDefault(txn, team));
    WriteTeamRow(txn, queries::kUpdateTeam.name, team, now);
    txn.exec_prepared(queries::kBumpRevision.name);
    return absl::OkStatus();
  }));
  return GetTeam(team.team.id);
}

absl::Status PostgresEscalationStore::DeleteTeam(const std::string& id) {
  return pool_.Transact([&](pqxx::work& txn) -> absl::Status {
    CXDESK_RETURN_IF_ERROR(
        CheckVersion(txn.exec_prepared(queries::kLockTeamRow.name, id),
                     std::nullopt, "team", id));
    pqxx::row in_use = txn.exec_prepared1(queries::kTeamInUse.name, id);
    if (in_use[0].as<bool>()) {
      return absl::FailedPreconditionError(
          absl::StrCat("team ", common::Excerpt(id),
                       " is the default team; make another one default"));
    }
    if (in_use[1].as<bool>()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "team ", common::Excerpt(id), " is the target of a routing rule"));
    }
    if (in_use[2].as<bool>()) {
      return absl::FailedPreconditionError(
          absl::StrCat("team ", common::Excerpt(id), " still has agents"));
    }
    txn.exec_prepared(queries::kDeleteTeam.name, id);
    txn.exec_prepared(queries::kBumpRevision.name);
    return absl::OkStatus();
  });
}

// ---- agents ----

absl::StatusOr<AgentRecord> PostgresEscalationStore::CreateAgent(
    const AgentRecord& agent, absl::Time now) {
  CXDESK_RETURN_IF_ERROR(pool_.Transact([&](pqxx::work& txn) -> absl::Status {
    WriteAgentRow(txn, queries::kInsertAgent.name, agent, now);
    txn.exec_prepared(queries::kBumpRevision.name);
    return absl::OkStatus();
  }));
  return GetAgent(agent.agent.id);
}

absl::StatusOr<AgentRecord> PostgresEscalationStore::GetAgent(
    const std::string& id) {
  std::optional<AgentRecord> out;
  CXDESK_RETURN_IF_ERROR(pool_.Autocommit([&](pqxx::transaction_base& txn) {
    pqxx::result rows = txn.exec_prepared(queries::kAgentById.name, id);
    if (!rows.empty()) {
      out = ReadAgent(rows[0]);
      auto open = ReadOpenTickets(txn, {id});
      out->open_tickets = open.count(id) ? open[id] : 0;
    }
    return absl::OkStatus();
  }));
  if (!out.has_value()) return NotFound("agent", id);
  return *std::move(out);
}

absl::StatusOr<std::vector<AgentRecord>> PostgresEscalationStore::ListAgents(
    const std::string& team, int offset, int limit) {
  std::vector<AgentRecord> out;
  CXDESK_RETURN_IF_ERROR(pool_.Autocommit([&](pqxx::transaction_base& txn) {
    out.clear();
    std::vector<std::string> ids;
    for (const auto& row :
         txn.exec_prepared(queries::kListAgents.name, team, offset, limit)) {
      out.push_back(ReadAgent(row));
      ids.push_back(out.back().agent.id);
    }
    auto open = ReadOpenTickets(txn, ids);
    for (AgentRecord& a : out) a.open_tickets = open[a.agent.id];
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<AgentRecord> PostgresEscalationStore::UpdateAgent(
    const AgentRecord& agent, int64_t expected_version, absl::Time now) {
  CXDESK_RETURN_IF_ERROR(pool_.Transact([&](pqxx::work& txn) -> absl::Status {
    CXDESK_RETURN_IF_ERROR(CheckVersion(
        txn.exec_prepared(queries::kLockAgentRow.name, agent.agent.id),
        expected_version, "agent", agent.agent.id));
    WriteAgentRow(txn, queries::kUpdateAgent.name, agent, now);
    txn.exec_prepared(queries::kBumpRevision.name);
    return absl::OkStatus();
  }));
  return GetAgent(agent.agent.id);
}

absl::Status PostgresEscalationStore::DeleteAgent(const std::string& id) {
  return pool_.Transact([&](pqxx::work& txn) -> absl::Status {
    CXDESK_RETURN_IF_ERROR(
        CheckVersion(txn.exec_prepared(queries::kLockAgentRow.name, id),
                     std::nullopt, "agent", id));
    pqxx::result leads = txn.exec_prepared(queries::kAgentLeads.name, id);
    if (!leads.empty()) {
      return absl::FailedPreconditionError(absl::StrCat(
          "agent ", common::Excerpt(id), " leads or manages team \"",
          leads[0][0].as<std::string>(), "\""));
    }
    txn.exec_prepared(queries::kDeleteAgent.name, id);
    txn.exec_prepared(queries::kBumpRevision.name);
    return absl::OkStatus();
  });
}

absl::StatusOr<AgentRecord> PostgresEscalationStore::SetAvailability(
    const std::string& id, Availability availability, absl::Time now) {
  CXDESK_RETURN_IF_ERROR(pool_.Transact([&](pqxx::work& txn) -> absl::Status {
    if (txn.exec_prepared(queries::kSetAvailability.name, id,
                          std::string(Name(availability)),
                          absl::ToUnixMicros(now))
            .empty()) {
      return NotFound("agent", id);
    }
    txn.exec_prepared(queries::kBumpRevision.name);
    return absl::OkStatus();
  }));
  return GetAgent(id);
}

// ---- rules ----

absl::StatusOr<RuleRecord> PostgresEscalationStore::CreateRule(
    const RuleRecord& rule, absl::Time now) {
  CXDESK_RETURN_IF_ERROR(pool_.Transact([&](pqxx::work& txn) -> absl::Status {
    WriteRuleRow(txn, queries::kInsertRule.name, rule, now);
    txn.exec_prepared(queries::kBumpRevision.name);
    return absl::OkStatus();
  }));
  return GetRule(rule.rule.id);
}

absl::StatusOr<RuleRecord> PostgresEscalationStore::GetRule(
    const std::string& id) {
  std::optional<RuleRecord> out;
  CXDESK_RETURN_IF_ERROR(pool_.Autocommit([&](pqxx::transaction_base& txn) {
    pqxx::result rows = txn.exec_prepared(queries::kRuleById.name, id);
    if (!rows.empty()) out = ReadRule(rows[0]);
    return absl::OkStatus();
  }));
  if (!out.has_value()) return NotFound("routing rule", id);
  return *std::move(out);
}

absl::StatusOr<std::vector<RuleRecord>> PostgresEscalationStore::ListRules(
    int offset, int limit) {
  std::vector<RuleRecord> out;
  CXDESK_RETURN_IF_ERROR(pool_.Autocommit([&](pqxx::transaction_base& txn) {
    out.clear();
    for (const auto& row :
         txn.exec_prepared(queries::kListRules.name, offset, limit)) {
      out.push_back(ReadRule(row));
    }
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<RuleRecord> PostgresEscalationStore::UpdateRule(
    const RuleRecord& rule, int64_t expected_version, absl::Time now) {
  CXDESK_RETURN_IF_ERROR(pool_.Transact([&](pqxx::work& txn) -> absl::Status {
    CXDESK_RETURN_IF_ERROR(CheckVersion(
        txn.exec_prepared(queries::kLockRuleRow.name, rule.rule.id),
        expected_version, "routing rule", rule.rule.id));
    WriteRuleRow(txn, queries::kUpdateRule.name, rule, now);
    txn.exec_prepared(queries::kBumpRevision.name);
    return absl::OkStatus();
  }));
  return GetRule(rule.rule.id);
}

absl::Status PostgresEscalationStore::DeleteRule(const std::string& id) {
  return pool_.Transact([&](pqxx::work& txn) -> absl::Status {
    CXDESK_RETURN_IF_ERROR(
        CheckVersion(txn.exec_prepared(queries::kLockRuleRow.name, id),
                     std::nullopt, "routing rule", id));
    txn.exec_prepared(queries::kDeleteRule.name, id);
    txn.exec_prepared(queries::kBumpRevision.name);
    return absl::OkStatus();
  });
}

// ---- ladders ----

absl::StatusOr<LadderRecord> PostgresEscalationStore::SetLadder(
    const Ladder& ladder, std::optional<int64_t> expected, absl::Time now) {
  CXDESK_RETURN_IF_ERROR(pool_.Transact([&](pqxx::work& txn) -> absl::Status {
    if (expected.has_value()) {
      CXDESK_RETURN_IF_ERROR(CheckVersion(
          txn.exec_prepared(queries::kLockLadder.name, ladder.metric), expected,
          "ladder", ladder.metric));
    }
    txn.exec_prepared(queries::kUpsertLadder.name, ladder.metric,
                      absl::ToUnixMicros(now));
    WriteLadderSteps(txn, ladder);
    txn.exec_prepared(queries::kBumpRevision.name);
    return absl::OkStatus();
  }));
  return GetLadder(ladder.metric);
}

absl::StatusOr<LadderRecord> PostgresEscalationStore::GetLadder(
    const std::string& metric) {
  std::vector<LadderRecord> out;
  CXDESK_RETURN_IF_ERROR(pool_.Autocommit([&](pqxx::transaction_base& txn) {
    out = ReadLadders(txn, metric);
    return absl::OkStatus();
  }));
  if (out.empty()) {
    return absl::NotFoundError(
        absl::StrCat("no escalation ladder for metric ", metric));
  }
  return std::move(out.front());
}

absl::StatusOr<std::vector<LadderRecord>>
PostgresEscalationStore::ListLadders() {
  std::vector<LadderRecord> out;
  CXDESK_RETURN_IF_ERROR(pool_.Autocommit([&](pqxx::transaction_base& txn) {
    out = ReadLadders(txn, "");
    return absl::OkStatus();
  }));
  return out;
}

absl::Status PostgresEscalationStore::DeleteLadder(const std::string& metric) {
  return pool_.Transact([&](pqxx::work& txn) -> absl::Status {
    if (txn.exec_prepared(queries::kDeleteLadder.name, metric).empty()) {
      return absl::NotFoundError(
          absl::StrCat("no escalation ladder for metric ", metric));
    }
    txn.exec_prepared(queries::kBumpRevision.name);
    return absl::OkStatus();
  });
}

absl::StatusOr<Directory> PostgresEscalationStore::LoadDirectory() {
  Directory d;
  // One snapshot: a directory never mixes two revisions.
  CXDESK_RETURN_IF_ERROR(pool_.Transact([&](pqxx::work& txn) {
    d = Directory{};
    txn.exec("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY");
    d.revision =
        txn.exec_prepared1(queries::kReadRevision.name)[0].as<int64_t>();
    constexpr int kAll = 1 << 30;
    for (const auto& row :
         txn.exec_prepared(queries::kListTeams.name, 0, kAll)) {
      d.teams.push_back(ReadTeam(row));
    }
    for (const auto& row :
         txn.exec_prepared(queries::kListAgents.name, "", 0, kAll)) {
      d.agents.push_back(ReadAgent(row).agent);
    }
    for (const auto& row :
         txn.exec_prepared(queries::kListRules.name, 0, kAll)) {
      d.rules.push_back(ReadRule(row).rule);
    }
    for (LadderRecord& r : ReadLadders(txn, "")) {
      d.ladders.push_back(std::move(r.ladder));
    }
    return absl::OkStatus();
  }));
  return d;
}

absl::StatusOr<int64_t> PostgresEscalationStore::ConfigRevision() {
  int64_t revision = 0;
  CXDESK_RETURN_IF_ERROR(pool_.Autocommit([&](pqxx::transaction_base& txn) {
    revision = txn.exec_prepared1(queries::kReadRevision.name)[0].as<int64_t>();
    return absl::OkStatus();
  }));
  return revision;
}

}  // namespace cxdesk::escalation
