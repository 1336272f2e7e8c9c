#include "services/escalation/escalation_manager.h"

#include <algorithm>
#include <set>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/common/page_token.h"
#include "services/common/status_macros.h"
#include "services/common/text.h"
#include "services/escalation/routing.h"

namespace cxdesk::escalation {
namespace {

const char* const kMetrics[] = {"first_response", "next_response",
                                "periodic_update", "resolution"};

absl::Status ValidateMetric(absl::string_view field, const std::string& m) {
  for (const char* known : kMetrics) {
    if (m == known) return absl::OkStatus();
  }
  return absl::InvalidArgumentError(
      absl::StrCat(field, ": unknown SLA metric ", common::Excerpt(m)));
}

absl::Status ValidateHandle(absl::string_view field, const std::string& id,
                            bool required) {
  if (id.empty()) {
    if (!required) return absl::OkStatus();
    return absl::InvalidArgumentError(absl::StrCat(field, ": required"));
  }
  if (!common::IsValidSubject(id)) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ": 1..64 of letters, digits, '_', '.', '@' and '-' (got ",
        common::Excerpt(id), ")"));
  }
  return absl::OkStatus();
}

// common::CheckText with a byte limit: valid UTF-8, no NUL, and no control
// character unless `multiline` (tab, line feed, carriage return).
absl::Status ValidateText(absl::string_view field, const std::string& text,
                          int max_bytes, bool multiline = false) {
  return common::CheckText(field, text,
                           common::TextRule{0, max_bytes, multiline});
}

}  // namespace

// ---- teams ----

namespace {

absl::Status ValidateTeam(EscalationStore& store, const TeamRecord& t) {
  CXDESK_RETURN_IF_ERROR(ValidateHandle("team.team_id", t.team.id, true));
  CXDESK_RETURN_IF_ERROR(
      ValidateText("team.display_name", t.display_name, 200));
  CXDESK_RETURN_IF_ERROR(ValidateHandle("team.lead", t.team.lead, false));
  CXDESK_RETURN_IF_ERROR(ValidateHandle("team.manager", t.team.manager, false));
  CXDESK_RETURN_IF_ERROR(
      ValidateText("team.default_calendar", t.team.default_calendar, 63));
  if (!t.webhook_url.empty() && !absl::StartsWith(t.webhook_url, "http://") &&
      !absl::StartsWith(t.webhook_url, "https://")) {
    return absl::InvalidArgumentError(
        "team.webhook.url: must start with http:// or https://");
  }
  CXDESK_RETURN_IF_ERROR(ValidateText("team.webhook.url", t.webhook_url, 2048));
  CXDESK_RETURN_IF_ERROR(
      ValidateText("team.webhook.secret", t.webhook_secret, 256));
  for (const auto& [field, agent] :
       {std::pair<const char*, const std::string*>{"team.lead", &t.team.lead},
        {"team.manager", &t.team.manager}}) {
    if (agent->empty()) continue;
    absl::StatusOr<AgentRecord> found = store.GetAgent(*agent);
    if (absl::IsNotFound(found.status())) {
      return absl::NotFoundError(absl::StrCat(
          field, ": agent ", common::Excerpt(*agent), " not found"));
    }
    CXDESK_RETURN_IF_ERROR(found.status());
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<TeamRecord> EscalationManager::CreateTeam(
    const std::string& bearer, TeamRecord input) {
  CXDESK_RETURN_IF_ERROR(auth_.Check(bearer, common::StaffNeed::kManager));
  CXDESK_RETURN_IF_ERROR(ValidateTeam(store_, input));
  return store_.CreateTeam(input, clock_.Now());
}

absl::StatusOr<TeamRecord> EscalationManager::GetTeam(const std::string& bearer,
                                                      const std::string& id) {
  CXDESK_RETURN_IF_ERROR(auth_.Check(bearer, common::StaffNeed::kStaff));
  CXDESK_RETURN_IF_ERROR(ValidateHandle("team_id", id, true));
  return store_.GetTeam(id);
}

absl::StatusOr<Page<TeamRecord>> EscalationManager::ListTeams(
    const std::string& bearer, int32_t page_size,
    const std::string& page_token) {
  CXDESK_RETURN_IF_ERROR(auth_.Check(bearer, common::StaffNeed::kStaff));
  return common::ReadOffsetPage<TeamRecord>(
      page_size, page_token, "teams",
      [&](int offset, int limit) { return store_.ListTeams(offset, limit); });
}

absl::StatusOr<TeamRecord> EscalationManager::UpdateTeam(
    const std::string& bearer, TeamRecord input, const std::string& etag) {
  CXDESK_ASSIGN_OR_RETURN(const int64_t version,
                          auth_.RequireEdit(bearer, etag, true));
  CXDESK_RETURN_IF_ERROR(ValidateTeam(store_, input));
  return store_.UpdateTeam(input, version, clock_.Now());
}

absl::Status EscalationManager::DeleteTeam(const std::string& bearer,
                                           const std::string& id) {
  CXDESK_RETURN_IF_ERROR(auth_.Check(bearer, common::StaffNeed::kManager));
  CXDESK_RETURN_IF_ERROR(ValidateHandle("team_id", id, true));
  return store_.DeleteTeam(id);
}

// ---- agents ----

namespace {

absl::Status ValidateAgent(EscalationStore& store, AgentRecord& r) {
  Agent& a = r.agent;
  CXDESK_RETURN_IF_ERROR(ValidateHandle("agent.agent_id", a.id, true));
  CXDESK_RETURN_IF_ERROR(ValidateText("agent.display_name", a.name, 200));
  if (a.tier < 1 || a.tier > 9) {
    return absl::InvalidArgumentError("agent.tier: must be 1..9");
  }
  if (a.capacity < 0 || a.capacity > 1000) {
    return absl::InvalidArgumentError("agent.capacity: must be 0..1000");
  }
  std::sort(a.teams.begin(), a.teams.end());
  a.teams.erase(std::unique(a.teams.begin(), a.teams.end()), a.teams.end());
  for (size_t i = 0; i < a.teams.size(); ++i) {
    const std::string field = absl::StrCat("agent.team_ids[", i, "]");
    CXDESK_RETURN_IF_ERROR(ValidateHandle(field, a.teams[i], true));
    absl::StatusOr<TeamRecord> team = store.GetTeam(a.teams[i]);
    if (absl::IsNotFound(team.status())) {
      return absl::NotFoundError(absl::StrCat(
          field, ": team ", common::Excerpt(a.teams[i]), " not found"));
    }
    CXDESK_RETURN_IF_ERROR(team.status());
  }
  for (size_t i = 0; i < a.skills.size(); ++i) {
    std::string& skill = a.skills[i];
    skill = absl::AsciiStrToLower(skill);
    if (skill.empty() || skill.size() > 50) {
      return absl::InvalidArgumentError(
          absl::StrCat("agent.skills[", i, "]: 1..50 characters"));
    }
  }
  std::sort(a.skills.begin(), a.skills.end());
  a.skills.erase(std::unique(a.skills.begin(), a.skills.end()), a.skills.end());
  return ValidateText("agent.shift_calendar", a.shift_calendar, 63);
}

}  // namespace

absl::StatusOr<AgentRecord> EscalationManager::CreateAgent(
    const std::string& bearer, AgentRecord input) {
  CXDESK_RETURN_IF_ERROR(auth_.Check(bearer, common::StaffNeed::kManager));
  CXDESK_RETURN_IF_ERROR(ValidateAgent(store_, input));
  CXDESK_ASSIGN_OR_RETURN(AgentRecord created,
                          store_.CreateAgent(input, clock_.Now()));
  CXDESK_RETURN_IF_ERROR(engine_.DrainTeams(created.agent.teams));
  return created;
}

absl::StatusOr<AgentRecord> EscalationManager::GetAgent(
    const std::string& bearer, const std::string& id) {
  CXDESK_RETURN_IF_ERROR(auth_.Check(bearer, common::StaffNeed::kStaff));
  CXDESK_RETURN_IF_ERROR(ValidateHandle("agent_id", id, true));
  return store_.GetAgent(id);
}

absl::StatusOr<Page<AgentRecord>> EscalationManager::ListAgents(
    const std::string& bearer, const std::string& team, int32_t page_size,
    const std::string& page_token) {
  CXDESK_RETURN_IF_ERROR(auth_.Check(bearer, common::StaffNeed::kStaff));
  CXDESK_RETURN_IF_ERROR(ValidateHandle("team_id", team, false));
  return common::ReadOffsetPage<AgentRecord>(
      page_size, page_token, absl::StrCat("agents|", team),
      [&](int offset, int limit) {
        return store_.ListAgents(team, offset, limit);
      });
}

absl::StatusOr<AgentRecord> EscalationManager::UpdateAgent(
    const std::string& bearer, AgentRecord input, const std::string& etag) {
  CXDESK_ASSIGN_OR_RETURN(const int64_t version,
                          auth_.RequireEdit(bearer, etag, true));
  CXDESK_RETURN_IF_ERROR(ValidateAgent(store_, input));
  CXDESK_ASSIGN_OR_RETURN(AgentRecord updated,
                          store_.UpdateAgent(input, version, clock_.Now()));
  // More capacity, another team, back online: waiting tickets may move.
  CXDESK_RETURN_IF_ERROR(engine_.DrainTeams(updated.agent.teams));
  return updated;
}

absl::Status EscalationManager::DeleteAgent(const std::string& bearer,
                                            const std::string& id) {
  CXDESK_RETURN_IF_ERROR(auth_.Check(bearer, common::StaffNeed::kManager));
  CXDESK_RETURN_IF_ERROR(ValidateHandle("agent_id", id, true));
  return store_.DeleteAgent(id);
}

absl::StatusOr<AgentRecord> EscalationManager::SetAvailability(
    const std::string& bearer, const std::string& id,
    Availability availability) {
  CXDESK_ASSIGN_OR_RETURN(common::TokenClaims claims,
                          auth_.Require(bearer, common::StaffNeed::kStaff));
  const std::string agent = id.empty() ? claims.subject : id;
  CXDESK_RETURN_IF_ERROR(ValidateHandle("agent_id", agent, true));
  if (agent != claims.subject && claims.role != common::StaffRole::kManager) {
    return absl::PermissionDeniedError(
        "agent_id: agents may only set their own availability");
  }
  CXDESK_ASSIGN_OR_RETURN(
      AgentRecord updated,
      store_.SetAvailability(agent, availability, clock_.Now()));
  if (availability == Availability::kOnline) {
    CXDESK_RETURN_IF_ERROR(engine_.DrainTeams(updated.agent.teams));
  }
  return updated;
}

// ---- routing rules ----

namespace {

absl::Status ValidateRuleInput(EscalationStore& store, const RuleRecord& r) {
  CXDESK_RETURN_IF_ERROR(ValidateHandle("rule.rule_id", r.rule.id, true));
  absl::Status valid = ValidateRule(r.rule);
  if (!valid.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("rule.", valid.message()));
  }
  absl::StatusOr<TeamRecord> team = store.GetTeam(r.rule.team);
  if (absl::IsNotFound(team.status())) {
    return absl::NotFoundError(absl::StrCat(
        "rule.team_id: team ", common::Excerpt(r.rule.team), " not found"));
  }
  return team.status();
}

}  // namespace

absl::StatusOr<RuleRecord> EscalationManager::CreateRule(
    const std::string& bearer, RuleRecord input) {
  CXDESK_RETURN_IF_ERROR(auth_.Check(bearer, common::StaffNeed::kManager));
  CXDESK_RETURN_IF_ERROR(ValidateRuleInput(store_, input));
  return store_.CreateRule(input, clock_.Now());
}

absl::StatusOr<RuleRecord> EscalationManager::GetRule(const std::string& bearer,
                                                      const std::string& id) {
  CXDESK_RETURN_IF_ERROR(auth_.Check(bearer, common::StaffNeed::kStaff));
  CXDESK_RETURN_IF_ERROR(ValidateHandle("rule_id", id, true));
  return store_.GetRule(id);
}

absl::StatusOr<Page<RuleRecord>> EscalationManager::ListRules(
    const std::string& bearer, int32_t page_size,
    const std::string& page_token) {
  CXDESK_RETURN_IF_ERROR(auth_.Check(bearer, common::StaffNeed::kStaff));
  return common::ReadOffsetPage<RuleRecord>(
      page_size, page_token, "rules",
      [&](int offset, int limit) { return store_.ListRules(offset, limit); });
}

absl::StatusOr<RuleRecord> EscalationManager::UpdateRule(
    const std::string& bearer, RuleRecord input, const std::string& etag) {
  CXDESK_ASSIGN_OR_RETURN(const int64_t version,
                          auth_.RequireEdit(bearer, etag, true));
  CXDESK_RETURN_IF_ERROR(ValidateRuleInput(store_, input));
  return store_.UpdateRule(input, version, clock_.Now());
}

absl::Status EscalationManager::DeleteRule(const std::string& bearer,
                                           const std::string& id) {
  CXDESK_RETURN_IF_ERROR(auth_.Check(bearer, common::StaffNeed::kManager));
  CXDESK_RETURN_IF_ERROR(ValidateHandle("rule_id", id, true));
  return store_.DeleteRule(id);
}

// ---- routing ----

absl::StatusOr<Decision> EscalationManager::RouteTicket(
    const std::string& bearer, const RouteTarget& target, bool dry_run) {
  CXDESK_ASSIGN_OR_RETURN(common::TokenClaims claims,
                          auth_.Require(bearer, common::StaffNeed::kStaff));
  if (const auto* draft = std::get_if<TicketToRoute>(&target)) {
    if (!dry_run) {
      return absl::InvalidArgumentError(
          "dry_run: a draft can only be routed as a dry run");
    }
    return engine_.DryRun(*draft);
  }
  const int64_t ticket_id = std::get<int64_t>(target);
  if (ticket_id <= 0) {
    return absl::InvalidArgumentError("ticket_id: must be positive");
  }
  if (dry_run) {
    CXDESK_ASSIGN_OR_RETURN(std::optional<TicketView> t,
                            store_.GetTicket(ticket_id));
    if (!t.has_value()) {
      return absl::NotFoundError(absl::StrCat(
          "ticket ", ticket_id, " has not reached the escalation service"));
    }
    CXDESK_ASSIGN_OR_RETURN(Decision d, engine_.DryRun(t->route));
    d.ticket_id = ticket_id;
    return d;
  }
  if (claims.role != common::StaffRole::kManager) {
    return absl::PermissionDeniedError(
        "dry_run: re-routing a ticket is for managers; agents may dry-run");
  }
  return engine_.Reroute(ticket_id);
}

absl::StatusOr<std::vector<Decision>> EscalationManager::ExplainRouting(
    const std::string& bearer, int64_t ticket_id) {
  CXDESK_RETURN_IF_ERROR(auth_.Check(bearer, common::StaffNeed::kStaff));
  if (ticket_id <= 0) {
    return absl::InvalidArgumentError("ticket_id: must be positive");
  }
  CXDESK_ASSIGN_OR_RETURN(std::vector<Decision> decisions,
                          store_.ListDecisions(ticket_id));
  if (decisions.empty()) {
    return absl::NotFoundError(
        absl::StrCat("no routing decision for ticket ", ticket_id));
  }
  return decisions;
}

absl::StatusOr<std::pair<std::vector<QueuedTicket>, int>>
EscalationManager::ListTeamQueue(const std::string& bearer,
                                 const std::string& team, int32_t page_size) {
  CXDESK_RETURN_IF_ERROR(auth_.Check(bearer, common::StaffNeed::kStaff));
  CXDESK_RETURN_IF_ERROR(ValidateHandle("team_id", team, true));
  CXDESK_ASSIGN_OR_RETURN(const int size, common::ResolvePageSize(page_size));
  CXDESK_RETURN_IF_ERROR(store_.GetTeam(team).status());
  CXDESK_ASSIGN_OR_RETURN(std::vector<QueuedTicket> queue,
                          store_.TeamQueue(team));
  SortQueue(queue);
  const int total = static_cast<int>(queue.size());
  if (static_cast<int>(queue.size()) > size) queue.resize(size);
  return std::make_pair(std::move(queue), total);
}

// ---- ladders ----

absl::StatusOr<LadderRecord> EscalationManager::SetLadder(
    const std::string& bearer, const Ladder& ladder, const std::string& etag) {
  CXDESK_ASSIGN_OR_RETURN(const int64_t version,
                          auth_.RequireEdit(bearer, etag, false));
  CXDESK_RETURN_IF_ERROR(ValidateMetric("ladder.metric", ladder.metric));
  absl::Status valid = ValidateLadder(ladder);
  if (!valid.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("ladder.", valid.message()));
  }
  for (size_t s = 0; s < ladder.steps.size(); ++s) {
    for (size_t i = 0; i < ladder.steps[s].actions.size(); ++i) {
      const Action& a = ladder.steps[s].actions[i];
      const std::string field =
          absl::StrCat("ladder.steps[", s, "].actions[", i, "]");
      if (a.kind == Action::Kind::kAddNote) {
        CXDESK_RETURN_IF_ERROR(ValidateText(absl::StrCat(field, ".note"),
                                            a.note, 4096, /*multiline=*/true));
      }
      if (a.kind == Action::Kind::kNotify &&
          a.recipient.kind == Recipient::Kind::kNamed) {
        absl::StatusOr<AgentRecord> agent = store_.GetAgent(a.recipient.name);
        if (absl::IsNotFound(agent.status())) {
          return absl::NotFoundError(
              absl::StrCat(field, ".recipient_agent_id: agent ",
                           common::Excerpt(a.recipient.name), " not found"));
        }
        CXDESK_RETURN_IF_ERROR(agent.status());
      }
      if (a.kind == Action::Kind::kReassign &&
          a.reassign.kind == ReassignTarget::Kind::kOtherTeam) {
        absl::StatusOr<TeamRecord> team = store_.GetTeam(a.reassign.team);
        if (absl::IsNotFound(team.status())) {
          return absl::NotFoundError(
              absl::StrCat(field, ".reassign_team_id: team ",
                           common::Excerpt(a.reassign.team), " not found"));
        }
        CXDESK_RETURN_IF_ERROR(team.status());
      }
    }
  }
  return store_.SetLadder(
      ladder, version > 0 ? std::optional<int64_t>(version) : std::nullopt,
      clock_.Now());
}

absl::StatusOr<LadderRecord> EscalationManager::GetLadder(
    const std::string& bearer, const std::string& metric) {
  CXDESK_RETURN_IF_ERROR(auth_.Check(bearer, common::StaffNeed::kStaff));
  CXDESK_RETURN_IF_ERROR(ValidateMetric("metric", metric));
  return store_.GetLadder(metric);
}

absl::StatusOr<std::vector<LadderRecord>> EscalationManager::ListLadders(
    const std::string& bearer) {
  CXDESK_RETURN_IF_ERROR(auth_.Check(bearer, common::StaffNeed::kStaff));
  return store_.ListLadders();
}

absl::Status EscalationManager::DeleteLadder(const std::string& bearer,
                                             const std::string& metric) {
  CXDESK_RETURN_IF_ERROR(auth_.Check(bearer, common::StaffNeed::kManager));
  CXDESK_RETURN_IF_ERROR(ValidateMetric("metric", metric));
  return store_.DeleteLadder(metric);
}

// ---- escalations ----

absl::StatusOr<Page<EscalationRecord>> EscalationManager::ListEscalations(
    const std::string& bearer, const EscalationQuery& query, int32_t page_size,
    const std::string& page_token) {
  CXDESK_RETURN_IF_ERROR(auth_.Check(bearer, common::StaffNeed::kStaff));
  if (query.ticket_id < 0) {
    return absl::InvalidArgumentError("ticket_id: must not be negative");
  }
  if (query.level < 0) {
    return absl::InvalidArgumentError("level: must not be negative");
  }
  CXDESK_RETURN_IF_ERROR(ValidateHandle("team_id", query.team, false));
  if (query.from.has_value() && query.to.has_value() &&
      *query.to <= *query.from) {
    return absl::InvalidArgumentError("end_time: must be after start_time");
  }
  return common::ReadPage<EscalationRecord>(
      page_size, page_token,
      absl::StrCat("escalations|", query.ticket_id, "|", query.team, "|",
                   query.level),
      [&](int64_t before, int limit) {
        return store_.ListEscalations(query, before, limit);
      },
      [](int64_t, int, const EscalationRecord& e) { return e.id; });
}

absl::StatusOr<EscalationRecord> EscalationManager::AcknowledgeEscalation(
    const std::string& bearer, int64_t escalation_id) {
  CXDESK_ASSIGN_OR_RETURN(common::TokenClaims claims,
                          auth_.Require(bearer, common::StaffNeed::kStaff));
  if (escalation_id <= 0) {
    return absl::InvalidArgumentError("escalation_id: must be positive");
  }
  CXDESK_ASSIGN_OR_RETURN(EscalationRecord step,
                          store_.GetEscalation(escalation_id));
  if (claims.role != common::StaffRole::kManager) {
    CXDESK_ASSIGN_OR_RETURN(bool notified,
                            store_.NotifiedInCycle(step.key, claims.subject));
    CXDESK_ASSIGN_OR_RETURN(std::optional<TicketView> ticket,
                            store_.GetTicket(step.key.ticket_id));
    const bool assignee =
        ticket.has_value() && ticket->LoadOf() == claims.subject;
    if (!notified && !assignee) {
      return absl::PermissionDeniedError(absl::StrCat(
          "escalation ", escalation_id,
          ": only its recipients, the ticket's assignee or a manager may "
          "acknowledge it"));
    }
  }
  return engine_.Acknowledge(escalation_id, claims.subject);
}

// ---- notifications ----

absl::StatusOr<std::pair<Page<NotificationRecord>, int>>
EscalationManager::ListNotifications(const std::string& bearer,
                                     const std::string& recipient,
                                     bool unread_only, int32_t page_size,
                                     const std::string& page_token) {
  CXDESK_ASSIGN_OR_RETURN(common::TokenClaims claims,
                          auth_.Require(bearer, common::StaffNeed::kStaff));
  const std::string who = recipient.empty() ? claims.subject : recipient;
  CXDESK_RETURN_IF_ERROR(ValidateHandle("recipient", who, true));
  if (who != claims.subject && claims.role != common::StaffRole::kManager) {
    return absl::PermissionDeniedError(
        "recipient: only managers may read another person's notifications");
  }
  CXDESK_ASSIGN_OR_RETURN(
      Page<NotificationRecord> page,
      common::ReadPage<NotificationRecord>(
          page_size, page_token,
          absl::StrCat("notifications|", who, "|", unread_only),
          [&](int64_t before, int limit) {
            return store_.ListNotifications(who, unread_only, before, limit);
          },
          [](int64_t, int, const NotificationRecord& n) { return n.id; }));
  CXDESK_ASSIGN_OR_RETURN(int unread, store_.CountUnread(who));
  return std::make_pair(std::move(page), unread);
}

absl::StatusOr<int> EscalationManager::MarkNotificationsRead(
    const std::string& bearer, const std::vector<int64_t>& ids, bool all) {
  CXDESK_ASSIGN_OR_RETURN(common::TokenClaims claims,
                          auth_.Require(bearer, common::StaffNeed::kStaff));
  if (!all && ids.empty()) {
    return absl::InvalidArgumentError(
        "notification_ids: give the ids to mark, or set all");
  }
  if (ids.size() > 1000) {
    return absl::InvalidArgumentError("notification_ids: at most 1000");
  }
  return store_.MarkRead(claims.subject, ids, all, clock_.Now());
}

absl::Status EscalationManager::WatchNotifications(
    const std::string& bearer, const std::string& recipient,
    const std::string& after_cursor,
    const std::function<bool(const NotificationRecord&)>& send,
    const std::function<bool()>& cancelled) {
  CXDESK_ASSIGN_OR_RETURN(common::TokenClaims claims,
                          auth_.Require(bearer, common::StaffNeed::kStaff));
  const std::string who = recipient.empty() ? claims.subject : recipient;
  if (who != "*")
    CXDESK_RETURN_IF_ERROR(ValidateHandle("recipient", who, true));
  if (who != claims.subject && claims.role != common::StaffRole::kManager) {
    return absl::PermissionDeniedError(
        "recipient: only managers may follow another person's notifications");
  }
  CXDESK_ASSIGN_OR_RETURN(common::EventCursor cursor,
                          common::DecodeCursor(after_cursor, "after_cursor"));
  // Without a notifier, a signal that never fires: the watch polls.
  return common::RunWatch<NotificationRecord>(
      cursor, notifier_ != nullptr ? *notifier_ : common::NoChanges(),
      [this, who](const common::EventCursor& after, int limit) {
        return store_.ReadNotifications(who, after, limit);
      },
      [](const NotificationRecord& n) { return n.cursor; }, send, cancelled);
}

absl::StatusOr<Page<DeliveryRecord>> EscalationManager::ListWebhookDeliveries(
    const std::string& bearer, const std::string& team,
    std::optional<DeliveryRecord::State> state, int32_t page_size,
    const std::string& page_token) {
  CXDESK_RETURN_IF_ERROR(auth_.Check(bearer, common::StaffNeed::kManager));
  CXDESK_RETURN_IF_ERROR(ValidateHandle("team_id", team, false));
  return common::ReadPage<DeliveryRecord>(
      page_size, page_token,
      absl::StrCat("deliveries|", team, "|",
                   state.has_value() ? Name(*state) : ""),
      [&](int64_t before, int limit) {
        return store_.ListDeliveries(team, state, before, limit);
      },
      [](int64_t, int, const DeliveryRecord& d) { return d.id; });
}

absl::StatusOr<Figures> EscalationManager::GetFigures(const std::string& bearer,
                                                      absl::Time start,
                                                      absl::Time end) {
  CXDESK_RETURN_IF_ERROR(auth_.Check(bearer, common::StaffNeed::kManager));
  if (start == absl::InfinitePast()) {
    return absl::InvalidArgumentError("start_time: required");
  }
  if (end == absl::InfiniteFuture()) {
    return absl::InvalidArgumentError("end_time: required");
  }
  if (end <= start) {
    return absl::InvalidArgumentError("end_time: must be after start_time");
  }
  return store_.GetFigures(start, end);
}

}  // namespace cxdesk::escalation
