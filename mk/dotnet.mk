# The .NET binding (bindings/dotnet, namespace and package Librescue), built and tested with
# Debian's Mono: no .NET SDK can be installed on this machine.
#   make dotnet        build/dotnet/Librescue.dll (+ .xml docs), compiled by mcs
#   make dotnet-test   Mono (installed when missing), the C library (`lib`) and the sandboxes
#                      (tests/c/run.sh), then tests/dotnet (runner + the README's example)
#   make dotnet-pack   build/dotnet/Librescue.VERSION.nupkg with Debian's nuget (Mono),
#                      installed when missing; rescue.dll goes in too when `make windows` made it

.PHONY: dotnet dotnet-deps dotnet-pack-deps dotnet-test dotnet-pack

MCS ?= mcs
MONO ?= mono
NUGET ?= nuget
DOTNET_OUT := $(BUILD)/dotnet
DOTNET_SRC := $(wildcard bindings/dotnet/src/*.cs)
DOTNET_TEST_SRC := $(wildcard tests/dotnet/*.cs)
# C# 7.2 at most: the subset both mcs and the .NET SDK's netstandard2.0 builds accept.
DOTNET_FLAGS := -langversion:7.2 -warnaserror -nologo
DOTNET_README := bindings/dotnet/README.md
DOTNET_PACKAGE := $(DOTNET_OUT)/package

dotnet-deps:
	@command -v $(MCS) >/dev/null && command -v $(MONO) >/dev/null || \
	    (apt-get update && apt-get install -y --no-install-recommends mono-mcs mono-runtime)

dotnet: dotnet-deps
	mkdir -p $(DOTNET_OUT)
	$(MCS) $(DOTNET_FLAGS) -target:library -doc:$(DOTNET_OUT)/Librescue.xml \
	    -out:$(DOTNET_OUT)/Librescue.dll $(DOTNET_SRC)

# The example is the ```csharp block between the README's dotnet-example markers; it runs
# from its own directory holding Librescue.dll and librescue.so, as an application would.
dotnet-test: dotnet lib $(SANDBOX)
	$(MCS) $(DOTNET_FLAGS) -target:exe -r:$(DOTNET_OUT)/Librescue.dll -r:System.dll \
	    -out:$(DOTNET_OUT)/tests.exe $(DOTNET_TEST_SRC)
	mkdir -p $(DOTNET_OUT)/example
	sed -n '/<!-- dotnet-example: begin -->/,/<!-- dotnet-example: end -->/p' $(DOTNET_README) \
	    | sed -n '/^```csharp$$/,/^```$$/{/^```/d;p}' > $(DOTNET_OUT)/example/LensPin.cs
	@test -s $(DOTNET_OUT)/example/LensPin.cs || { echo "no example in $(DOTNET_README)" >&2; exit 1; }
	cp -f $(DOTNET_OUT)/Librescue.dll $(DOTNET_OUT)/example/
	@# Private copies, each a new file (rm, then cp): `make lib` rewrites build/lib's library
	@# in place, which would crash a test process that has it loaded.
	rm -rf $(DOTNET_OUT)/native $(DOTNET_OUT)/example/librescue.so
	mkdir -p $(DOTNET_OUT)/native
	cp -L $(LIB_DIR)/librescue.so $(DOTNET_OUT)/native/librescue.so
	cp -L $(LIB_DIR)/librescue.so $(DOTNET_OUT)/example/librescue.so
	$(MCS) $(DOTNET_FLAGS) -target:exe -r:$(DOTNET_OUT)/example/Librescue.dll \
	    -out:$(DOTNET_OUT)/example/LensPin.exe $(DOTNET_OUT)/example/LensPin.cs
	@# The package's version is the crate's (the .csproj and the native library say the same).
	@grep -q '<Version>$(RESCUE_VERSION)</Version>' bindings/dotnet/Librescue.csproj || \
	    { echo "bindings/dotnet/Librescue.csproj: <Version> is not $(RESCUE_VERSION)" >&2; exit 1; }
	LD_LIBRARY_PATH=$(abspath $(DOTNET_OUT)/native) RESCUE_VERSION=$(RESCUE_VERSION) MONO=$(MONO) \
	    tests/c/run.sh $(SANDBOX) tests/dotnet/suite.sh $(DOTNET_OUT)

dotnet-pack-deps: dotnet-deps
	@command -v $(NUGET) >/dev/null || \
	    (apt-get update && apt-get install -y --no-install-recommends nuget)

# The layout of bindings/dotnet/README.md ("The NuGet package"); mcs builds a .NET Framework
# 4.5 assembly, so it goes in lib/net45 (the .csproj builds lib/netstandard2.0 with the SDK).
dotnet-pack: dotnet dotnet-pack-deps lib
	rm -rf $(DOTNET_PACKAGE)
	mkdir -p $(DOTNET_PACKAGE)/lib/net45 $(DOTNET_PACKAGE)/runtimes/linux-x64/native
	cp $(DOTNET_OUT)/Librescue.dll $(DOTNET_OUT)/Librescue.xml $(DOTNET_PACKAGE)/lib/net45/
	cp -L $(LIB_DIR)/librescue.so $(DOTNET_PACKAGE)/runtimes/linux-x64/native/librescue.so
	if [ -f $(BUILD)/windows/rescue.dll ]; then \
	    mkdir -p $(DOTNET_PACKAGE)/runtimes/win-x64/native && \
	    cp $(BUILD)/windows/rescue.dll $(DOTNET_PACKAGE)/runtimes/win-x64/native/; \
	else echo "dotnet-pack: no $(BUILD)/windows/rescue.dll (make windows): Linux only"; fi
	cp $(DOTNET_README) $(DOTNET_PACKAGE)/README.md
	for f in LICENSE-MIT LICENSE-APACHE; do [ ! -f $$f ] || cp $$f $(DOTNET_PACKAGE)/; done
	sed 's/\$$version\$$/$(RESCUE_VERSION)/' bindings/dotnet/Librescue.nuspec > $(DOTNET_PACKAGE)/Librescue.nuspec
	cd $(DOTNET_PACKAGE) && $(NUGET) pack Librescue.nuspec -OutputDirectory .. -NoPackageAnalysis -NonInteractive
	@ls -l $(DOTNET_OUT)/Librescue.$(RESCUE_VERSION).nupkg

TEST_TARGETS += dotnet-test
