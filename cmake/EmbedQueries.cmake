# Writes OUT: a C++ header declaring, in namespace NAMESPACE, one
# `inline constexpr common::NamedQuery` per statement of the .sql files in
# FILES (paths joined by '|', read in that order) and `All()`, every one of
# them in that order: the list the pool prepares on each connection. GUARD is
# the include guard, SOURCE the files' folder as the header's comment names
# it. Run by cxdesk_embed_queries (CxdeskHelpers.cmake).
#
# A .sql file is a list of blocks, each headed by a line
#   -- name: kFooBar        a statement: NamedQuery kFooBar, prepared as
#                           "foo_bar"
#   -- fragment: foo_cols   text that statements (or other fragments) use as
#                           @foo_cols@, e.g. a column list read in one order
# The comment lines right after the head are the block's contract (a
# statement's becomes its C++ comment); the other lines up to the next head
# are its SQL, sent as written, minus blank lines, comment lines and trailing
# blanks. Lines before the first head are about the file and not emitted. A
# fragment must be used and a statement must not be empty.
cmake_policy(VERSION 3.22)
include(${CMAKE_CURRENT_LIST_DIR}/SqlText.cmake)

string(REPLACE "|" ";" FILES "${FILES}")
set(statements "")  # C++ names, in order.
set(fragments "")
set(used "")

# Stores the block being read, if any.
macro(_cxdesk_queries_end_block)
  if(NOT kind STREQUAL "")
    if(sql STREQUAL "")
      message(FATAL_ERROR "${where}: ${kind} ${name} has no SQL")
    endif()
    if(kind STREQUAL "name")
      list(APPEND statements ${name})
      set(doc_${name} "${doc}")
      set(sql_${name} "${sql}")
    else()
      list(APPEND fragments ${name})
      set(fragment_${name} "${sql}")
    endif()
  endif()
  set(kind "")
endmacro()

foreach(f ${FILES})
  file(READ "${f}" rest)
  set(kind "")
  set(n 0)
  while(NOT rest STREQUAL "")
    cxdesk_sql_pop_line(rest line eol)
    math(EXPR n "${n} + 1")
    string(REGEX REPLACE "[ \t\r]+$" "" line "${line}")
    if(line MATCHES "^-- (name|fragment): *(.*)$")
      _cxdesk_queries_end_block()
      set(kind "${CMAKE_MATCH_1}")
      set(name "${CMAKE_MATCH_2}")
      set(where "${f}:${n}")
      if(kind STREQUAL "name" AND NOT name MATCHES "^k[A-Z][A-Za-z0-9]*$")
        message(FATAL_ERROR
          "${where}: a statement is named kFooBar, not `${name}`")
      endif()
      if(kind STREQUAL "fragment" AND NOT name MATCHES "^[a-z][a-z0-9_]*$")
        message(FATAL_ERROR
          "${where}: a fragment is named foo_bar, not `${name}`")
      endif()
      if(name IN_LIST statements OR name IN_LIST fragments)
        message(FATAL_ERROR "${where}: ${name} is defined twice")
      endif()
      set(doc "")
      set(sql "")
      set(in_doc TRUE)
    elseif(kind STREQUAL "")
      # About the file.
    elseif(line MATCHES "^ *--")
      if(in_doc)
        string(REGEX REPLACE "^ *-- ?" "" text "${line}")
        string(APPEND doc "${text}\n")
      endif()
    elseif(NOT line STREQUAL "")
      set(in_doc FALSE)
      if(sql STREQUAL "")
        set(sql "${line}")
      else()
        string(APPEND sql "\n${line}")
      endif()
    endif()
  endwhile()
  _cxdesk_queries_end_block()
endforeach()

# Replaces every @fragment@ in variable VAR, to any depth.
function(_cxdesk_queries_expand var what)
  set(text "${${var}}")
  set(depth 0)
  while(text MATCHES "@([a-z][a-z0-9_]*)@")
    set(f "${CMAKE_MATCH_1}")
    if(NOT f IN_LIST fragments)
      message(FATAL_ERROR
        "${what} uses @${f}@, which no `-- fragment:` defines")
    endif()
    math(EXPR depth "${depth} + 1")
    if(depth GREATER 100)
      message(FATAL_ERROR "${what}: fragments that use each other in a loop")
    endif()
    string(REPLACE "@${f}@" "${fragment_${f}}" text "${text}")
    set_property(GLOBAL APPEND PROPERTY cxdesk_queries_used ${f})
  endwhile()
  set(${var} "${text}" PARENT_SCOPE)
endfunction()

set(body "// Generated from ${SOURCE}/*.sql by cmake/EmbedQueries.cmake:\n")
string(APPEND body "// edit those files, not this one.\n\n")
string(APPEND body "#ifndef ${GUARD}\n#define ${GUARD}\n\n#include <vector>\n\n")
string(APPEND body "#include \"services/common/postgres_pool.h\"\n\n")
string(APPEND body "namespace ${NAMESPACE} {\n\n")
string(APPEND body "using ::cxdesk::common::NamedQuery;\n")
foreach(s ${statements})
  _cxdesk_queries_expand(sql_${s} "statement ${s}")
  if(sql_${s} MATCHES "\\)cxdesk_sql\"")
    message(FATAL_ERROR "statement ${s} holds the raw string's delimiter")
  endif()
  # kFooBar -> foo_bar
  string(SUBSTRING "${s}" 1 -1 prepared)
  string(REGEX REPLACE "([a-z0-9])([A-Z])" "\\1_\\2" prepared "${prepared}")
  string(TOLOWER "${prepared}" prepared)
  string(REGEX REPLACE "([^\n]*)\n" "// \\1\n" doc "${doc_${s}}")
  string(REPLACE "// \n" "//\n" doc "${doc}")
  string(APPEND body "\n${doc}inline constexpr NamedQuery ${s} = {\n")
  string(APPEND body "    \"${prepared}\", R\"cxdesk_sql(${sql_${s}})cxdesk_sql\"};\n")
endforeach()
get_property(used GLOBAL PROPERTY cxdesk_queries_used)
foreach(f ${fragments})
  if(NOT f IN_LIST used)
    message(FATAL_ERROR "fragment ${f} is defined but no statement uses it")
  endif()
endforeach()
string(APPEND body "\n// Every statement above, in order: prepared on each pooled")
string(APPEND body " connection.\n")
string(APPEND body "inline const std::vector<NamedQuery>& All() {\n")
string(APPEND body "  static const auto* all = new std::vector<NamedQuery>{\n")
foreach(s ${statements})
  string(APPEND body "      ${s},\n")
endforeach()
string(APPEND body "  };\n  return *all;\n}\n\n}  // namespace ${NAMESPACE}\n\n")
string(APPEND body "#endif  // ${GUARD}\n")

# Rewritten only when it changes: an edit to a .sql file that changes no
# statement and no contract (a file comment) recompiles nothing.
set(old "")
if(EXISTS "${OUT}")
  file(READ "${OUT}" old)
endif()
if(NOT old STREQUAL body)
  file(WRITE "${OUT}" "${body}")
endif()
