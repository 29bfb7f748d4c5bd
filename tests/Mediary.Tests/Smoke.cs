namespace Mediary.Tests; public class Smoke { [Xunit.Fact] public void T() { } }
