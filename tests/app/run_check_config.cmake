# Runs `neuvo-server --config CONFIG --check-config` and checks both its exit code and that its
# output (stdout and stderr together) contains EXPECTED_TEXT literally. Used by add_test as
#   cmake -DSERVER=... -DCONFIG=... -DEXPECTED_EXIT=2 -DEXPECTED_TEXT=... -P run_check_config.cmake
foreach(variable SERVER CONFIG EXPECTED_EXIT EXPECTED_TEXT)
  if(NOT DEFINED ${variable})
    message(FATAL_ERROR "run_check_config.cmake needs -D${variable}=...")
  endif()
endforeach()

execute_process(
  COMMAND "${SERVER}" --config "${CONFIG}" --check-config
  RESULT_VARIABLE exit_code
  OUTPUT_VARIABLE standard_output
  ERROR_VARIABLE standard_error
  TIMEOUT 60)
set(output "${standard_output}${standard_error}")

if(NOT exit_code STREQUAL EXPECTED_EXIT)
  message(FATAL_ERROR "expected exit code ${EXPECTED_EXIT}, got ${exit_code}; output:\n${output}")
endif()
string(FIND "${output}" "${EXPECTED_TEXT}" position)
if(position EQUAL -1)
  message(FATAL_ERROR "expected the output to contain\n  ${EXPECTED_TEXT}\nbut it was:\n${output}")
endif()
message(STATUS "exit code ${exit_code}; output:\n${output}")
