# Writes OUT: a C++ file defining `SYMBOL()` that returns the migrations in
# FILES (paths joined by '|').
string(REPLACE "|" ";" FILES "${FILES}")
set(body "#include \"services/common/migrations.h\"\n\nnamespace cxdesk {\n\nconst std::vector<common::Migration>& ${SYMBOL}() {\n  static const auto* migrations = new std::vector<common::Migration>{\n")
foreach(f ${FILES})
  get_filename_component(name ${f} NAME)
  string(REGEX MATCH "^V([0-9]+)__" m ${name})
  set(version ${CMAKE_MATCH_1})
  math(EXPR version "${version}")
  file(READ ${f} sql)
  set(body "${body}      {${version}, \"${name}\", R\"cxdesk_sql(${sql})cxdesk_sql\"},\n")
endforeach()
set(body "${body}  };\n  return *migrations;\n}\n\n}  // namespace cxdesk\n")
file(WRITE ${OUT} "${body}")
