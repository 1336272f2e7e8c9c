#include "services/ticket/postgres_ticket_store.h"

#include <optional>
#include <pqxx/pqxx>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "services/common/status_macros.h"
#include "services/ticket/queries.h"

namespace cxdesk::ticket {
namespace {

std::optional<int64_t> MicrosOrNull(const std::optional<absl::Time>& t) {
  if (!t) return std::nullopt;
  return absl::ToUnixMicros(*t);
}

std::optional<std::string> NullIfEmpty(absl::string_view s) {
  if (s.empty()) return std::nullopt;
  return std::string(s);
}

using common::ArrayLiteral;
using Cols = common::PgCols;

// Tags are selected joined by commas (they cannot contain one).
std::vector<std::string> Tags(Cols& c) {
  std::string joined = c.Str();
  if (joined.empty()) return {};
  return absl::StrSplit(joined, ',');
}

// Enum columns hold names the schema's CHECK constraints allow, so a parse
// failure means a corrupt row: fall back to the unspecified value.
template <typename E>
E Or(absl::StatusOr<E> parsed) {
  return parsed.ok() ? *parsed : E::kUnspecified;
}

// Reads @ticket_columns@ (queries/ticket.sql).
Ticket ReadTicket(const pqxx::row& row) {
  Cols c(row);
  Ticket t;
  t.id = c.Int();
  t.subject = c.Str();
  t.description = c.Str();
  t.kind = Or(ParseKind(c.Str()));
  t.cx_level = c.IsNull() ? (c.Skip(1), CxLevel::kUnspecified)
                          : Or(ParseCxLevel(c.Str()));
  t.priority = Or(ParsePriority(c.Str()));
  t.channel = Or(ParseChannel(c.Str()));
  t.status = Or(ParseStatus(c.Str()));
  t.customer.id = c.Int();
  t.customer.email = c.Str();
  t.customer.name = c.Str();
  t.tags = Tags(c);
  t.assignee = c.Str();
  t.team = c.Str();
  t.create_time = c.Time();
  t.update_time = c.Time();
  t.solve_time = c.OptTime();
  std::optional<int64_t> score = c.OptInt();
  std::string rating_comment = c.Str();
  std::optional<absl::Time> rated_at = c.OptTime();
  if (score)
    t.rating = Rating{static_cast<int>(*score), rating_comment,
                      rated_at.value_or(absl::UnixEpoch())};
  t.version = c.Int();
  t.access_key_hash = c.Str();
  return t;
}

// Reads the snapshot columns of @event_select@ into `t`.
void ReadSnapshot(Cols& c, Ticket& t) {
  t.version = c.Int();
  t.subject = c.Str();
  t.kind = Or(ParseKind(c.Str()));
  t.cx_level = c.IsNull() ? (c.Skip(1), CxLevel::kUnspecified)
                          : Or(ParseCxLevel(c.Str()));
  t.priority = Or(ParsePriority(c.Str()));
  t.channel = Or(ParseChannel(c.Str()));
  t.status = Or(ParseStatus(c.Str()));
  t.tags = Tags(c);
  t.assignee = c.Str();
  t.team = c.Str();
  t.solve_time = c.OptTime();
  std::optional<int64_t> score = c.OptInt();
  // Snapshots keep the score only; an infinite-past time marks "not known".
  if (score) {
    t.rating = Rating{static_cast<int>(*score), "", absl::InfinitePast()};
  }
  t.update_time = c.Time();
}

// Reads @event_select@ (queries/ticket.sql).
TicketEvent ReadEvent(const pqxx::row& row) {
  Cols c(row);
  TicketEvent e;
  e.id = c.Int();
  const std::string xid = c.Str();
  e.cursor = {std::stoull(xid), e.id};
  e.ticket_id = c.Int();
  e.type = Or(ParseEventType(c.Str()));
  e.actor.name = c.Str();
  e.actor.role = Or(ParseActorRole(c.Str()));
  e.reason = c.Str();
  e.time = c.Time();
  e.after.id = e.ticket_id;
  ReadSnapshot(c, e.after);
  e.ticket_version = e.after.version;
  e.after.customer.id = c.Int();
  e.after.customer.email = c.Str();
  e.after.create_time = c.Time();
  if (c.Bool()) {
    Ticket before;
    before.id = e.ticket_id;
    ReadSnapshot(c, before);
    before.customer = e.after.customer;
    before.create_time = e.after.create_time;
    e.before = std::move(before);
  } else {
    c.Skip(12);
  }
  if (!c.IsNull()) {
    Comment comment;
    comment.id = c.Int();
    comment.ticket_id = e.ticket_id;
    comment.visibility = Or(ParseVisibility(c.Str()));
    comment.body = c.Str();
    comment.author = c.Str();
    comment.author_role = Or(ParseActorRole(c.Str()));
    comment.create_time = c.Time();
    e.comment = std::move(comment);
  }
  return e;
}

// Reads the comment columns of kListComments from `c`.
Comment ReadComment(Cols& c) {
  Comment comment;
  comment.id = c.Int();
  comment.ticket_id = c.Int();
  comment.visibility = Or(ParseVisibility(c.Str()));
  comment.body = c.Str();
  comment.author = c.Str();
  comment.author_role = Or(ParseActorRole(c.Str()));
  comment.create_time = c.Time();
  return comment;
}

Comment ReadComment(const pqxx::row& row) {
  Cols c(row);
  return ReadComment(c);
}

absl::Status TicketNotFound(int64_t id) {
  return absl::NotFoundError(absl::StrCat("ticket ", id, " not found"));
}

}  // namespace

const std::vector<common::NamedQuery>& PostgresTicketStore::PreparedQueries() {
  return queries::All();
}

absl::StatusOr<CreateResult> PostgresTicketStore::CreateTicket(
    const Ticket& ticket, const std::string& request_id, const Actor& actor) {
  // A race with another first ticket of the same new customer, or with the
  // same request id, leaves no row: the next attempt sees what the other
  // statement committed.
  constexpr int kAttempts = 3;
  for (int attempt = 1; attempt <= kAttempts; ++attempt) {
    std::optional<CreateResult> result;
    CXDESK_RETURN_IF_ERROR(
        pool_.Autocommit([&](pqxx::transaction_base& txn) -> absl::Status {
          pqxx::result rows = txn.exec_prepared(
              queries::kCreateTicket.name, ticket.customer.email,
              ticket.customer.name, absl::ToUnixMicros(ticket.create_time),
              ticket.subject, ticket.description,
              std::string(Name(ticket.kind)),
              NullIfEmpty(Name(ticket.cx_level)),
              std::string(Name(ticket.priority)),
              std::string(Name(ticket.channel)), ArrayLiteral(ticket.tags),
              ticket.access_key_hash, NullIfEmpty(request_id), actor.name,
              std::string(Name(actor.role)));
          if (!rows.empty()) {
            CreateResult created;
            created.ticket = ticket;
            created.ticket.id = rows[0][0].as<int64_t>();
            created.ticket.customer.id = rows[0][1].as<int64_t>();
            created.ticket.customer.name = rows[0][2].as<std::string>();
            created.ticket.version = 1;
            created.ticket.update_time = ticket.create_time;
            result = std::move(created);
            return absl::OkStatus();
          }
          if (request_id.empty()) return absl::OkStatus();
          pqxx::result first =
              txn.exec_prepared(queries::kTicketByRequestId.name, request_id);
          if (first.empty()) return absl::OkStatus();
          CreateResult replayed{ReadTicket(first[0]), true};
          if (replayed.ticket.customer.email != ticket.customer.email) {
            return absl::AlreadyExistsError(
                "request_id: already used for another request");
          }
          result = std::move(replayed);
          return absl::OkStatus();
        }));
    if (result) {
      if (!result->replayed) Published();
      return *std::move(result);
    }
  }
  return absl::AbortedError("concurrent creation; retry");
}

absl::StatusOr<Ticket> PostgresTicketStore::GetTicket(int64_t id) {
  Ticket ticket;
  CXDESK_RETURN_IF_ERROR(
      pool_.Autocommit([&](pqxx::transaction_base& txn) -> absl::Status {
        pqxx::result rows = txn.exec_prepared(queries::kGetTicket.name, id);
        if (rows.empty()) return TicketNotFound(id);
        ticket = ReadTicket(rows[0]);
        return absl::OkStatus();
      }));
  return ticket;
}

absl::StatusOr<std::vector<Ticket>> PostgresTicketStore::ListTickets(
    const TicketQuery& query, int64_t offset, int limit) {
  std::optional<std::string> statuses;
  if (!query.statuses.empty()) {
    std::vector<std::string> names;
    for (Status s : query.statuses) names.emplace_back(Name(s));
    statuses = ArrayLiteral(names);
  }
  std::vector<Ticket> tickets;
  CXDESK_RETURN_IF_ERROR(
      pool_.Autocommit([&](pqxx::transaction_base& txn) -> absl::Status {
        tickets.clear();
        pqxx::result rows = txn.exec_prepared(
            queries::kListTickets.name, statuses,
            NullIfEmpty(Name(query.priority)), NullIfEmpty(Name(query.kind)),
            NullIfEmpty(Name(query.cx_level)), NullIfEmpty(query.assignee),
            NullIfEmpty(query.team), NullIfEmpty(query.customer_email),
            NullIfEmpty(query.tag), MicrosOrNull(query.created_after),
            MicrosOrNull(query.created_before), query.unassigned,
            query.order_by, limit, offset);
        for (const auto& row : rows) tickets.push_back(ReadTicket(row));
        return absl::OkStatus();
      }));
  return tickets;
}

absl::StatusOr<MutationResult> PostgresTicketStore::MutateTicket(
    int64_t id, const std::string& request_id, const DecideChange& decide) {
  MutationResult result;
  CXDESK_RETURN_IF_ERROR(pool_.Transact([&](pqxx::work& txn) -> absl::Status {
    result = MutationResult{};
    // First statement, before anything assigns a transaction id: see
    // queries::kSerializeTicket.
    txn.exec_prepared(queries::kSerializeTicket.name, id);
    pqxx::result locked = txn.exec_prepared(queries::kLockTicket.name, id);
    if (locked.empty()) return TicketNotFound(id);
    Ticket current = ReadTicket(locked[0]);
    if (!request_id.empty()) {
      pqxx::result used =
          txn.exec_prepared(queries::kFindRequestId.name, request_id);
      if (!used.empty()) {
        Cols c(used[0]);
        c.Skip(1);  // r.ticket_id: the comment carries its own ticket.
        if (!c.IsNull()) result.comment = ReadComment(c);
        result.ticket = std::move(current);
        result.replayed = true;
        return absl::OkStatus();
      }
    }
    CXDESK_ASSIGN_OR_RETURN(std::optional<TicketChange> change,
                            decide(current));
    if (!change) {
      result.ticket = std::move(current);
      return absl::OkStatus();
    }
    std::optional<int64_t> comment_id;
    if (change->comment) {
      Comment& comment = *change->comment;
      comment.ticket_id = id;
      comment.create_time = change->time;
      comment_id = txn.exec_prepared1(queries::kInsertComment.name, id,
                                      std::string(Name(comment.visibility)),
                                      comment.body, comment.author,
                                      std::string(Name(comment.author_role)),
                                      absl::ToUnixMicros(change->time))[0]
                       .as<int64_t>();
      comment.id = *comment_id;
    }
    const Ticket& t = change->after;
    std::optional<int64_t> score;
    std::optional<std::string> rating_comment;
    std::optional<int64_t> rated_at;
    if (t.rating) {
      score = t.rating->score;
      rating_comment = t.rating->comment;
      rated_at = absl::ToUnixMicros(t.rating->time);
    }
    pqxx::row updated = txn.exec_prepared1(
        queries::kUpdateTicket.name, id, t.subject, t.description,
        std::string(Name(t.kind)), NullIfEmpty(Name(t.cx_level)),
        std::string(Name(t.priority)), std::string(Name(t.channel)),
        std::string(Name(t.status)), ArrayLiteral(t.tags), t.assignee, t.team,
        MicrosOrNull(t.solve_time), score, rating_comment, rated_at,
        absl::ToUnixMicros(change->time), std::string(Name(change->type)),
        change->actor.name, std::string(Name(change->actor.role)),
        change->reason, comment_id);
    if (!request_id.empty()) {
      txn.exec_prepared(queries::kInsertRequestId.name, request_id, id,
                        absl::ToUnixMicros(change->time), comment_id);
    }
    result.ticket = t;
    result.ticket.id = id;
    result.ticket.customer = current.customer;
    result.ticket.create_time = current.create_time;
    result.ticket.access_key_hash = current.access_key_hash;
    result.ticket.update_time = change->time;
    result.ticket.version = updated[0].as<int64_t>();
    result.comment = change->comment;
    result.changed = true;
    return absl::OkStatus();
  }));
  if (result.changed) Published();
  return result;
}

absl::StatusOr<std::vector<Comment>> PostgresTicketStore::ListComments(
    int64_t ticket_id, bool include_internal, int64_t after_id, int limit) {
  std::vector<Comment> comments;
  CXDESK_RETURN_IF_ERROR(
      pool_.Autocommit([&](pqxx::transaction_base& txn) -> absl::Status {
        comments.clear();
        pqxx::result rows =
            txn.exec_prepared(queries::kListComments.name, ticket_id,
                              include_internal, after_id, limit);
        for (const auto& row : rows) comments.push_back(ReadComment(row));
        // Comments imply their ticket (foreign key); only an empty page
        // needs to tell "no more comments" from "no such ticket".
        if (rows.empty() &&
            txn.exec_prepared(queries::kTicketExists.name, ticket_id).empty()) {
          return TicketNotFound(ticket_id);
        }
        return absl::OkStatus();
      }));
  return comments;
}

absl::StatusOr<std::vector<TicketEvent>> PostgresTicketStore::ListTicketEvents(
    int64_t ticket_id, int64_t after_version, int limit) {
  std::vector<TicketEvent> events;
  CXDESK_RETURN_IF_ERROR(
      pool_.Autocommit([&](pqxx::transaction_base& txn) -> absl::Status {
        events.clear();
        pqxx::result rows = txn.exec_prepared(queries::kListTicketEvents.name,
                                              ticket_id, after_version, limit);
        if (rows.empty() && after_version == 0)
          return TicketNotFound(ticket_id);
        for (const auto& row : rows) events.push_back(ReadEvent(row));
        return absl::OkStatus();
      }));
  return events;
}

absl::StatusOr<common::EventBatch<TicketEvent>> PostgresTicketStore::ReadEvents(
    const common::EventCursor& after, int limit) {
  common::EventBatch<TicketEvent> batch;
  CXDESK_RETURN_IF_ERROR(
      pool_.Autocommit([&](pqxx::transaction_base& txn) -> absl::Status {
        batch = {};
        // Held-back first, events second: each statement has its own
        // snapshot, and in this order an event missed by the read was
        // either held back at the first look (so `held_back` says so) or
        // committed after it (so its NOTIFY is still to come). In the other
        // order the blocking transaction could end in between, and the
        // reader would not know to look again.
        batch.held_back =
            txn.exec_prepared1(queries::kEventsHeldBack.name)[0].as<bool>();
        pqxx::result rows =
            txn.exec_prepared(queries::kReadEvents.name,
                              std::to_string(after.xid), after.id, limit);
        for (const auto& row : rows) batch.events.push_back(ReadEvent(row));
        return absl::OkStatus();
      }));
  return batch;
}

absl::StatusOr<common::EventCursor> PostgresTicketStore::LatestEventCursor() {
  common::EventCursor cursor;
  CXDESK_RETURN_IF_ERROR(
      pool_.Autocommit([&](pqxx::transaction_base& txn) -> absl::Status {
        cursor = {};
        const pqxx::result rows =
            txn.exec_prepared(queries::kLatestEventCursor.name);
        if (rows.empty()) return absl::OkStatus();
        cursor.xid = rows[0][0].as<uint64_t>();
        cursor.id = rows[0][1].as<int64_t>();
        return absl::OkStatus();
      }));
  return cursor;
}

}  // namespace cxdesk::ticket
