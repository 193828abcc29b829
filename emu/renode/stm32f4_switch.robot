*** Comments ***
zsync-mp native context switch on Renode's STM32F4 platform: the same test
firmware as `python emu/run.py cortex-m4f-stm32`, built to print over USART2
(a real STM32 USART, no semihosting). Run from anywhere:
    python emu/run.py --build-only cortex-m4f-stm32
    renode-test emu/renode/stm32f4_switch.robot
or `sh emu/renode/run.sh`, which does both.

*** Settings ***
Suite Setup       Setup
Suite Teardown    Teardown
Test Setup        Reset Emulation
Test Teardown     Test Teardown
Resource          ${RENODEKEYWORDS}

*** Variables ***
${BUILD}          ${CURDIR}/../../build/emu/cortex-m4f-stm32
${UART}           sysbus.usart2

*** Keywords ***
Create Machine
    [Arguments]    ${elf}
    Execute Command           $bin=@${elf}
    Execute Command           $platform=@${CURDIR}/stm32f4_m4f.repl
    Execute Command           include @${CURDIR}/stm32f4_machine.resc
    Create Terminal Tester    ${UART}    timeout=60

*** Test Cases ***
Fibers Switch While SysTick Fires
    Create Machine            ${BUILD}/uart.elf
    Start Emulation
    Wait For Line On Uart     round robin: 8 fibers x 625 rounds ok
    Wait For Line On Uart     ping-pong: 10000 switches ok
    Wait For Line On Uart     callee-saved registers: 8 preserved, s16-s31 preserved
    Wait For Line On Uart     interrupts:
    Wait For Line On Uart     Test OK

Stack Overflow Is Reported By The Canary
    Create Machine            ${BUILD}/uart-canary.elf
    Start Emulation
    Wait For Line On Uart     FATAL: zs: stack overflow detected (canary damaged)
