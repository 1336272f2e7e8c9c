# Small text expansion for SQL kept in several places at once, used at build
# time by EmbedMigrations.cmake (migrations) and EmbedQueries.cmake
# (statements). Include it from a `cmake -P` script.
#
# SQL text holds ';' and '[': it is never turned into a CMake list here, only
# walked line by line with string(FIND), and always quoted.
#
# Templates (db/common/*.sql.in):
#   -- @template NAME(param, param...)
#   ...lines, where @param@ is replaced by the include's value...
#   -- @end
# Lines outside a template are comments about the file and never emitted.
# Inside one, `-- @each_table SUB` is replaced by template SUB expanded once
# per `-- @audit_table` line of the include (see below).
#
# Migrations (V<version>__<name>.sql.in) are copied line for line, except:
#   -- @include NAME(param=value, ...)   the template NAME, expanded
#   -- @audit_table TABLE stream=S key=C1,C2,...
#       right after an @include: one audited table of the schema, its audit
#       stream and its primary key columns. Each gives the template's
#       @each_table expansions @table@, @stream@ and, from the key,
#       @key_expr@ ((to_jsonb(t) ->> 'C1') || ',' || ...: the key text the
#       trigger computes, over row t), @key_order@ (C1, C2) and @key_args@
#       ('C1', 'C2').
# An unknown template, a missing or unknown parameter or a placeholder left
# unexpanded stops the build.

cmake_policy(VERSION 3.22)

# Takes the first line off the text in variable REST_VAR (not empty): LINE_VAR
# gets it without its newline, EOL_VAR the newline ("", for a last line
# without one).
function(cxdesk_sql_pop_line rest_var line_var eol_var)
  string(FIND "${${rest_var}}" "\n" _nl)
  if(_nl EQUAL -1)
    set(${line_var} "${${rest_var}}" PARENT_SCOPE)
    set(${eol_var} "" PARENT_SCOPE)
    set(${rest_var} "" PARENT_SCOPE)
  else()
    string(SUBSTRING "${${rest_var}}" 0 ${_nl} _line)
    math(EXPR _nl "${_nl} + 1")
    string(SUBSTRING "${${rest_var}}" ${_nl} -1 _rest)
    set(${line_var} "${_line}" PARENT_SCOPE)
    set(${eol_var} "\n" PARENT_SCOPE)
    set(${rest_var} "${_rest}" PARENT_SCOPE)
  endif()
endfunction()

# Reads the templates of FILE into global properties.
function(cxdesk_sql_read_templates file)
  file(READ "${file}" rest)
  set(name "")
  set(body "")
  set(n 0)
  while(NOT rest STREQUAL "")
    cxdesk_sql_pop_line(rest line eol)
    math(EXPR n "${n} + 1")
    if(line MATCHES "^-- @template ([a-z_]+)\\(([a-z_, ]*)\\)$")
      if(NOT name STREQUAL "")
        message(FATAL_ERROR "${file}:${n}: @template inside ${name}")
      endif()
      set(name "${CMAKE_MATCH_1}")
      string(REPLACE " " "" params "${CMAKE_MATCH_2}")
      string(REPLACE "," ";" params "${params}")
      get_property(known GLOBAL PROPERTY cxdesk_sql_templates)
      if(name IN_LIST known)
        message(FATAL_ERROR "${file}:${n}: template ${name} defined twice")
      endif()
      set_property(GLOBAL APPEND PROPERTY cxdesk_sql_templates ${name})
      set_property(GLOBAL PROPERTY cxdesk_sql_params_${name} ${params})
      set(body "")
    elseif(line MATCHES "^-- @end$")
      if(name STREQUAL "")
        message(FATAL_ERROR "${file}:${n}: @end outside a template")
      endif()
      set_property(GLOBAL PROPERTY cxdesk_sql_body_${name} "${body}")
      set(name "")
    elseif(line MATCHES "^-- @[a-z_]+( |\\(|$)")
      if(NOT line MATCHES "^-- @each_table [a-z_]+$" OR name STREQUAL "")
        message(FATAL_ERROR "${file}:${n}: unknown directive: ${line}")
      endif()
      string(APPEND body "${line}\n")
    elseif(NOT name STREQUAL "")
      string(APPEND body "${line}\n")
    endif()
  endwhile()
  if(NOT name STREQUAL "")
    message(FATAL_ERROR "${file}: template ${name} has no @end")
  endif()
endfunction()

# The parameters of one @audit_table line (`TABLE stream=S key=C1,C2`) as
# name=value items in OUT.
function(_cxdesk_sql_table_params where spec out)
  if(NOT spec MATCHES "^([a-z_]+) stream=([a-z_.]+) key=([a-z_,]+)$")
    message(FATAL_ERROR "${where}: expected `@audit_table TABLE stream=S "
                        "key=C1,C2`, got: ${spec}")
  endif()
  set(table "${CMAKE_MATCH_1}")
  set(stream "${CMAKE_MATCH_2}")
  string(REPLACE "," ";" keys "${CMAKE_MATCH_3}")
  set(expr "")
  set(order "")
  set(args "")
  foreach(k ${keys})
    list(APPEND expr "(to_jsonb(t) ->> '${k}')")
    list(APPEND order "${k}")
    list(APPEND args "'${k}'")
  endforeach()
  list(JOIN expr " || ',' || " expr)
  list(JOIN order ", " order)
  list(JOIN args ", " args)
  set(${out} "table=${table}" "stream=${stream}" "key_expr=${expr}"
      "key_order=${order}" "key_args=${args}" PARENT_SCOPE)
endfunction()

# Template NAME expanded with PARAMS (name=value items) and TABLES
# (@audit_table specs) into OUT. STRICT: every parameter must be one of the
# template's (an @each_table sub-template also gets the include's).
function(cxdesk_sql_expand_template where name params tables strict out)
  get_property(known GLOBAL PROPERTY cxdesk_sql_templates)
  if(NOT name IN_LIST known)
    message(FATAL_ERROR "${where}: no template ${name} (known: ${known})")
  endif()
  get_property(wanted GLOBAL PROPERTY cxdesk_sql_params_${name})
  get_property(rest GLOBAL PROPERTY cxdesk_sql_body_${name})
  set(given "")
  set(text "")
  # Expand @each_table lines first: they take the include's parameters.
  while(NOT rest STREQUAL "")
    cxdesk_sql_pop_line(rest line eol)
    if(line MATCHES "^-- @each_table ([a-z_]+)$")
      set(sub "${CMAKE_MATCH_1}")
      if(NOT tables)
        message(FATAL_ERROR "${where}: ${name} needs @audit_table lines")
      endif()
      foreach(spec ${tables})
        _cxdesk_sql_table_params("${where}" "${spec}" row)
        cxdesk_sql_expand_template("${where}" ${sub} "${params};${row}" ""
                                   FALSE piece)
        string(APPEND text "${piece}")
      endforeach()
    else()
      string(APPEND text "${line}\n")
    endif()
  endwhile()
  foreach(p ${params})
    if(NOT p MATCHES "^([a-z_]+)=(.*)$")
      message(FATAL_ERROR "${where}: bad parameter `${p}` for ${name}")
    endif()
    set(key "${CMAKE_MATCH_1}")
    set(value "${CMAKE_MATCH_2}")
    if(key IN_LIST wanted)
      string(REPLACE "@${key}@" "${value}" text "${text}")
      list(APPEND given ${key})
    elseif(strict)
      message(FATAL_ERROR "${where}: ${name} has no parameter ${key}")
    endif()
  endforeach()
  foreach(w ${wanted})
    if(NOT w IN_LIST given)
      message(FATAL_ERROR "${where}: ${name} needs ${w}=")
    endif()
  endforeach()
  if(text MATCHES "@([a-z_]+)@")
    message(FATAL_ERROR "${where}: ${name} left @${CMAKE_MATCH_1}@ unexpanded")
  endif()
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

# Expands the pending @include of cxdesk_sql_expand_migration, if any.
macro(_cxdesk_sql_end_include)
  if(NOT include STREQUAL "")
    list(POP_FRONT include name)
    cxdesk_sql_expand_template("${file}:${n}" ${name} "${include}"
                               "${tables}" TRUE piece)
    string(APPEND text "${piece}")
    set(include "")
    set(tables "")
  endif()
endmacro()

# The migration template FILE (V*.sql.in) with its @include directives
# expanded, into OUT. The templates must have been read.
function(cxdesk_sql_expand_migration file out)
  file(READ "${file}" rest)
  set(text "")
  set(include "")  # The pending @include: its template, then parameters.
  set(tables "")
  set(n 0)
  while(NOT rest STREQUAL "")
    cxdesk_sql_pop_line(rest line eol)
    math(EXPR n "${n} + 1")
    if(line MATCHES "^-- @audit_table (.*)$")
      if(include STREQUAL "")
        message(FATAL_ERROR "${file}:${n}: @audit_table without an @include")
      endif()
      list(APPEND tables "${CMAKE_MATCH_1}")
      continue()
    endif()
    # Any other line ends the pending include.
    _cxdesk_sql_end_include()
    if(line MATCHES "^-- @include ([a-z_]+)\\(([^()]*)\\)$")
      set(name "${CMAKE_MATCH_1}")
      string(REGEX REPLACE ", *" ";" include "${CMAKE_MATCH_2}")
      set(include ${name} ${include})
    elseif(line MATCHES "^-- @[a-z_]+( |\\(|$)")
      message(FATAL_ERROR "${file}:${n}: unknown directive: ${line}")
    else()
      string(APPEND text "${line}${eol}")
    endif()
  endwhile()
  _cxdesk_sql_end_include()
  set(${out} "${text}" PARENT_SCOPE)
endfunction()
