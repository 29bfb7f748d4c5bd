using System.Net.Http.Headers;
using Mediary.Auth;
using Mediary.Processing;
using Mediary.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Mediary.Tests.Infrastructure;

public sealed record User(Account Account, string Token, HttpClient Client);
