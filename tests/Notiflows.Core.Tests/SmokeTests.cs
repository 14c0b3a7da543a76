using Notiflows.Core.Common;

namespace Notiflows.Core.Tests;

public sealed class SmokeTests
{
    [Fact]
    public void FieldError_CarriesItsParts() =>
        Assert.Equal("steps[0].handle", new FieldError("steps[0].handle", "m", Reasons.Format).Field);
}
